/**
 * Internal: the live state of every Steady pool (per client and remote host), lease tracking
 * and leak detection, and the pools' meters, which health and the {@code steady} endpoint
 * read. Not an API; it may change in any release.
 */
@NullMarked
package dev.steady.autoconfigure.health.internal;

import org.jspecify.annotations.NullMarked;
