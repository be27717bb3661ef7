package dev.steady.server;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies Steady's connection settings to the Reactor Netty server: Reactor Netty's idle,
 * read and request timeouts and keep-alive request limit, and on every accepted connection
 * the connection cap, TCP keep-alive probes, the request header timeout (with the request
 * timeout upheld after an early response) and the {@code Keep-Alive} response header. The
 * last two need the HTTP/1.1 codec, so they do not apply to HTTP/2 connections
 * ({@code server.http2.enabled}).
 */
public final class SteadyServerCustomizer implements NettyServerCustomizer {

	private final ServerConnectionSettings settings;

	private final ConnectionLimiter connectionLimiter;

	private final @Nullable KeepAliveHeaderHandler keepAliveHeader;

	/**
	 * Create a customizer.
	 * @param settings the effective settings
	 * @param connectionLimiter the cap on open connections
	 */
	public SteadyServerCustomizer(ServerConnectionSettings settings, ConnectionLimiter connectionLimiter) {
		this.settings = settings;
		this.connectionLimiter = connectionLimiter;
		this.keepAliveHeader = settings.advertiseKeepAlive() ? new KeepAliveHeaderHandler(settings.idleTimeout())
				: null;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		HttpServer tuned = server.idleTimeout(this.settings.idleTimeout())
			.readTimeout(this.settings.readTimeout())
			.requestTimeout(this.settings.requestTimeout());
		if (this.settings.maxKeepAliveRequests() > 0) {
			tuned = tuned.maxKeepAliveRequests(this.settings.maxKeepAliveRequests());
		}
		return tuned.doOnChannelInit(this::initializeConnection);
	}

	private void initializeConnection(ConnectionObserver observer, Channel channel,
			@Nullable SocketAddress remoteAddress) {
		if (!this.connectionLimiter.admit(channel)) {
			return;
		}
		this.settings.tcpKeepAlive().applyTo(channel);
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null) {
			return;
		}
		RequestTimeLimitHandler.install(pipeline, this.settings.requestHeaderTimeout(),
				this.settings.requestTimeout());
		if (this.keepAliveHeader != null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, KeepAliveHeaderHandler.NAME, this.keepAliveHeader);
		}
	}

}
