package dev.steady.client.internal;

import dev.steady.client.ClientSettings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientState;

/**
 * The observer of a client that may speak HTTP/2. It puts an {@link Http2ConnectionWatch}
 * and an {@link Http2PingHealth} check on each HTTP/2 connection when its first stream is
 * configured, before its request is written. And it tells whether the HTTP/2 stream of a
 * failed request is one the server never processed, so that sending it again is safe
 * whatever its method (RFC 9113, sections 6.8 and 8.7): a stream whose HEADERS never left,
 * one the server reset with {@code REFUSED_STREAM}, or one above the last stream id of a
 * GOAWAY the server sent.
 */
public final class Http2Observer implements ConnectionObserver {

	private final String client;

	private final LearnedIdleTimeouts learned;

	private final ClientSettings.Ping ping;

	/**
	 * Watch the HTTP/2 connections of a client.
	 * @param client the client's name
	 * @param learned where the idle timeouts its connections reveal are taught
	 * @param ping the PING health check of its connections
	 */
	public Http2Observer(String client, LearnedIdleTimeouts learned, ClientSettings.Ping ping) {
		this.client = client;
		this.learned = learned;
		this.ping = ping;
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpClientState.STREAM_CONFIGURED
				&& connection.channel() instanceof Http2StreamChannel stream) {
			Http2ConnectionWatch.watch(stream.parent(), this.client, this.learned, this.ping);
		}
	}

	/**
	 * Whether the server never processed the request written on a connection.
	 * @param connection the connection, or the Reactor Netty request written on it
	 * @return {@code true} only for an HTTP/2 stream the server proved it never saw
	 */
	public static boolean neverProcessed(Connection connection) {
		if (connection.channel() instanceof Http2StreamChannel stream) {
			Http2ConnectionWatch watch = Http2ConnectionWatch.of(stream.parent());
			return watch != null && watch.neverProcessed(stream.stream().id());
		}
		return false;
	}

}
