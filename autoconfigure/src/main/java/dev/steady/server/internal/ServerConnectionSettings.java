package dev.steady.server.internal;

import java.time.Duration;

import dev.steady.tcp.TcpKeepAliveOptions;

/**
 * Effective connection settings of the Reactor Netty server, after Spring Boot's own
 * {@code server.netty.*} values have taken precedence over Steady's.
 *
 * @param idleTimeout close a keep-alive connection that waits longer than this for its next
 * request
 * @param requestHeaderTimeout close a connection whose request line and headers are not
 * complete this long after their first byte, or after accept for the first request
 * @param readTimeout maximum time between two reads of a request body
 * @param requestTimeout maximum time to read a whole request body
 * @param maxKeepAliveRequests requests served on one connection before it is closed; 0 for
 * no limit
 * @param maxConnections open connections beyond which new ones are refused
 * @param advertiseKeepAlive whether keep-alive responses carry
 * {@code Keep-Alive: timeout=<idle timeout in seconds>}
 * @param tcpKeepAlive TCP keep-alive probes on accepted sockets
 * @param http2 limits of HTTP/2 connections, on a server that speaks HTTP/2
 */
public record ServerConnectionSettings(Duration idleTimeout, Duration requestHeaderTimeout, Duration readTimeout,
		Duration requestTimeout, int maxKeepAliveRequests, int maxConnections, boolean advertiseKeepAlive,
		TcpKeepAliveOptions tcpKeepAlive, Http2Limits http2) {

}
