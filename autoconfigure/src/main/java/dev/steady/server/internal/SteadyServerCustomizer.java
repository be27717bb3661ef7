package dev.steady.server.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerConfig;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Applies Steady's connection settings to the Reactor Netty server, filling in only what
 * nothing else set: it is applied after Spring Boot's own {@code server.netty.*} settings
 * and the application's {@link NettyServerCustomizer} beans, and leaves every time limit and
 * keep-alive request limit they set as they set it.
 * <p>
 * On every accepted connection it applies the connection cap and TCP keep-alive probes, and
 * on HTTP/1.1 connections (cleartext ones of an h2c server included) the
 * {@code Keep-Alive} response header and {@link RequestTimeLimitHandler}, which enforces the request header timeout and the request
 * timeout after an early response, and on a server that speaks only HTTP/1.1 (the default)
 * also the idle, read and request timeouts, with one timer per connection instead of
 * Reactor Netty's per-request handlers and timers. A server that also speaks HTTP/2
 * ({@code server.http2.enabled}) gets those three from Reactor Netty, which applies them to
 * HTTP/2 streams too, and {@link Http2Limits} in its HTTP/2 settings.
 */
public final class SteadyServerCustomizer implements NettyServerCustomizer {

	private static final List<HttpProtocol> HTTP11_ONLY = List.of(HttpProtocol.HTTP11);

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
		HttpServerConfig config = server.configuration();
		boolean http11Only = HTTP11_ONLY.equals(List.of(config.protocols()));
		HttpServer tuned = server;
		if (this.settings.maxKeepAliveRequests() > 0 && config.maxKeepAliveRequests() == -1) {
			tuned = tuned.maxKeepAliveRequests(this.settings.maxKeepAliveRequests());
		}
		if (!http11Only && config.idleTimeout() == null) {
			tuned = tuned.idleTimeout(this.settings.idleTimeout());
		}
		if (!http11Only && config.readTimeout() == null) {
			tuned = tuned.readTimeout(this.settings.readTimeout());
		}
		if (!http11Only && config.requestTimeout() == null) {
			tuned = tuned.requestTimeout(this.settings.requestTimeout());
		}
		if (!http11Only) {
			tuned = this.settings.http2().fillIn(tuned);
		}
		HttpServerConfig reactorNetty = tuned.configuration();
		RequestDeadlines.Limits limits = new RequestDeadlines.Limits(nanos(this.settings.requestHeaderTimeout()),
				unlessSet(reactorNetty.readTimeout(), this.settings.readTimeout()),
				unlessSet(reactorNetty.requestTimeout(), this.settings.requestTimeout()),
				unlessSet(reactorNetty.idleTimeout(), this.settings.idleTimeout()),
				nanos(this.settings.requestTimeout()));
		return tuned.doOnChannelInit((observer, channel, remoteAddress) -> initializeConnection(observer, channel,
				remoteAddress, limits));
	}

	/** Steady's limit, unless Reactor Netty enforces one set by Spring Boot or the application. */
	private static long unlessSet(@Nullable Duration reactorNetty, Duration steady) {
		return (reactorNetty != null) ? RequestDeadlines.UNLIMITED : nanos(steady);
	}

	private static long nanos(Duration duration) {
		return duration.toNanos();
	}

	private void initializeConnection(ConnectionObserver observer, Channel channel,
			@Nullable SocketAddress remoteAddress, RequestDeadlines.Limits limits) {
		if (!this.connectionLimiter.admit(channel)) {
			return;
		}
		this.settings.tcpKeepAlive().applyTo(channel);
		ChannelPipeline pipeline = channel.pipeline();
		String codec = http11Codec(pipeline);
		if (codec == null) {
			return;
		}
		RequestTimeLimitHandler.install(pipeline, codec, limits, System::nanoTime);
		if (this.keepAliveHeader != null) {
			pipeline.addAfter(codec, KeepAliveHeaderHandler.NAME, this.keepAliveHeader);
		}
	}

	/**
	 * The HTTP/1.1 codec of a new connection: Reactor Netty's named one on an HTTP/1.1
	 * server, the unnamed one of its h2c upgrade handler on a server that also speaks h2c,
	 * none yet on a TLS connection that negotiates its protocol (ALPN).
	 */
	private static @Nullable String http11Codec(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			return NettyPipeline.HttpCodec;
		}
		ChannelHandlerContext h2cCodec = pipeline.context(HttpServerCodec.class);
		return (h2cCodec != null) ? h2cCodec.name() : null;
	}

}
