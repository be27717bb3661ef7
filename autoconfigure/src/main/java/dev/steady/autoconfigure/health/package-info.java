/**
 * What Steady sees of its connection pools and its auto-configuration: the pool state
 * registry (in {@code health.internal}: live per-host pool state fed by Reactor Netty's
 * {@code MeterRegistrar}, leases and suspected leaks, meters) and the actuator health of
 * every pool.
 */
@NullMarked
package dev.steady.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
