/**
 * Connection hygiene for the Reactor Netty server: idle, request-header and request-body
 * time limits, a connection cap, the {@code Keep-Alive} response header and TCP keep-alive
 * on accepted sockets, applied through a {@code NettyServerCustomizer}. Internal: not an API;
 * it may change in any release.
 */
@NullMarked
package dev.steady.server.internal;

import org.jspecify.annotations.NullMarked;
