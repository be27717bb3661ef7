/**
 * Auto-configuration of Steady's connection hygiene for the Reactor Netty server.
 */
@NullMarked
package dev.steady.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
