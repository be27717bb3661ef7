package dev.steady.autoconfigure.server;

import java.time.Duration;

import dev.steady.tcp.TcpKeepAliveProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Steady's server properties: time limits, a connection cap and TCP keep-alive for the
 * Reactor Netty server of a reactive web application. A value set under Spring Boot's own
 * {@code server.netty.*} wins over its Steady twin.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("steady.server")
public class SteadyServerProperties {

	/**
	 * Whether Steady tunes the connections of the Reactor Netty server.
	 */
	private boolean enabled = true;

	/**
	 * Close a keep-alive connection that waits longer than this for its next request.
	 * server.netty.idle-timeout wins when set.
	 */
	private Duration idleTimeout = Duration.ofSeconds(60);

	/**
	 * Close a connection whose request line and headers are not complete this long after
	 * their first byte (after accept for a connection's first request), answering 408 where
	 * a response is still possible.
	 */
	private Duration requestHeaderTimeout = Duration.ofSeconds(10);

	/**
	 * Maximum time between two reads of a request body.
	 */
	private Duration readTimeout = Duration.ofSeconds(30);

	/**
	 * Maximum time to read a whole request body.
	 */
	private Duration requestTimeout = Duration.ofSeconds(60);

	/**
	 * Requests served on one connection before it is closed; 0 for no limit.
	 * server.netty.max-keep-alive-requests wins when set.
	 */
	private int maxKeepAliveRequests;

	/**
	 * Open connections beyond which new connections are closed at once and counted in the
	 * steady.server.connections.refused metric. When unset, 80% of the process's open-file
	 * limit, read at startup, or 10000 when that limit cannot be read.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Whether keep-alive responses carry "Keep-Alive: timeout=<idle timeout in seconds>", so
	 * that clients close idle connections before the server does.
	 */
	private boolean advertiseKeepAlive = true;

	private final TcpKeepAlive tcpKeepAlive = new TcpKeepAlive();

	private final Http2 http2 = new Http2();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Duration getRequestHeaderTimeout() {
		return this.requestHeaderTimeout;
	}

	public void setRequestHeaderTimeout(Duration requestHeaderTimeout) {
		this.requestHeaderTimeout = requestHeaderTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public int getMaxKeepAliveRequests() {
		return this.maxKeepAliveRequests;
	}

	public void setMaxKeepAliveRequests(int maxKeepAliveRequests) {
		this.maxKeepAliveRequests = maxKeepAliveRequests;
	}

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = maxConnections;
	}

	public boolean isAdvertiseKeepAlive() {
		return this.advertiseKeepAlive;
	}

	public void setAdvertiseKeepAlive(boolean advertiseKeepAlive) {
		this.advertiseKeepAlive = advertiseKeepAlive;
	}

	public TcpKeepAlive getTcpKeepAlive() {
		return this.tcpKeepAlive;
	}

	public Http2 getHttp2() {
		return this.http2;
	}

	/**
	 * TCP keep-alive probes on accepted sockets, so that a client or a NAT that silently
	 * dropped the flow is noticed and its connection closed.
	 */
	public static class TcpKeepAlive extends TcpKeepAliveProperties {

		/**
		 * Idle time before the first probe (whole seconds).
		 */
		private Duration idle = Duration.ofSeconds(60);

		@Override
		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

	}

	/**
	 * Limits of HTTP/2 connections (server.http2.enabled), which Spring Boot has no
	 * properties for. A value set through a NettyServerCustomizer wins.
	 */
	public static class Http2 {

		/**
		 * Streams one HTTP/2 connection may have open at once, advertised to clients as
		 * SETTINGS_MAX_CONCURRENT_STREAMS; further streams are refused. A value set through a
		 * NettyServerCustomizer wins.
		 */
		private int maxConcurrentStreams = 100;

		/**
		 * RST_STREAM frames one HTTP/2 connection may send, or make the server send, within
		 * reset-frames-window before it is closed with GOAWAY ENHANCE_YOUR_CALM (the rapid
		 * reset attack); 0 for no limit. Limits set through a NettyServerCustomizer win.
		 */
		private int maxResetFrames = 200;

		/**
		 * Window over which max-reset-frames are counted (whole seconds).
		 */
		private Duration resetFramesWindow = Duration.ofSeconds(30);

		public int getMaxConcurrentStreams() {
			return this.maxConcurrentStreams;
		}

		public void setMaxConcurrentStreams(int maxConcurrentStreams) {
			this.maxConcurrentStreams = maxConcurrentStreams;
		}

		public int getMaxResetFrames() {
			return this.maxResetFrames;
		}

		public void setMaxResetFrames(int maxResetFrames) {
			this.maxResetFrames = maxResetFrames;
		}

		public Duration getResetFramesWindow() {
			return this.resetFramesWindow;
		}

		public void setResetFramesWindow(Duration resetFramesWindow) {
			this.resetFramesWindow = resetFramesWindow;
		}

	}

}
