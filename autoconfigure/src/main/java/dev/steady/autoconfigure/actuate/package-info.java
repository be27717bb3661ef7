/**
 * The read-only {@code steady} actuator endpoint (every client's effective settings with
 * their sources, and the live state of its pools) and its auto-configuration.
 */
@NullMarked
package dev.steady.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
