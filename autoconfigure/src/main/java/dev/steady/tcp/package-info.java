/**
 * TCP socket options shared by Steady's clients and server: keep-alive probes.
 */
@NullMarked
package dev.steady.tcp;

import org.jspecify.annotations.NullMarked;
