/**
 * The read-only {@code steady} actuator endpoint: every client's effective settings with
 * their sources, and the live state of its pools.
 */
@NullMarked
package dev.steady.actuate;

import org.jspecify.annotations.NullMarked;
