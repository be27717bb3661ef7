/**
 * Connection hygiene for the Reactor Netty server: idle, request-header and request-body
 * time limits, a connection cap, the {@code Keep-Alive} response header and TCP keep-alive
 * on accepted sockets, applied through a {@code NettyServerCustomizer}.
 */
@NullMarked
package dev.steady.server;

import org.jspecify.annotations.NullMarked;
