/**
 * Auto-configuration of the {@code steady} actuator endpoint.
 */
@NullMarked
package dev.steady.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
