package dev.steady.client.internal;

import io.netty.handler.codec.http2.Http2StreamChannel;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientState;

import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Tells whether the HTTP/2 stream of a failed request is one the server never processed, so
 * that sending it again is safe whatever its method (RFC 9113, sections 6.8 and 8.7): a
 * stream whose HEADERS never left, one the server reset with {@code REFUSED_STREAM}, or one
 * above the last stream id of a GOAWAY the server sent.
 * <p>
 * As an observer of a client that may speak HTTP/2, it puts an {@link Http2ConnectionWatch}
 * on each HTTP/2 connection when its first stream is configured, before its request is
 * written.
 */
public final class UnprocessedStreams implements ConnectionObserver {

	private final String client;

	private final LearnedIdleTimeouts learned;

	/**
	 * Watch the HTTP/2 connections of a client.
	 * @param client the client's name
	 * @param learned where the idle timeouts its connections reveal are taught
	 */
	public UnprocessedStreams(String client, LearnedIdleTimeouts learned) {
		this.client = client;
		this.learned = learned;
	}

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpClientState.STREAM_CONFIGURED
				&& connection.channel() instanceof Http2StreamChannel stream) {
			Http2ConnectionWatch.watch(stream.parent(), this.client, this.learned);
		}
	}

	/**
	 * Whether the server never processed the request.
	 * @param request the request, once its connection was acquired
	 * @return {@code true} only for an HTTP/2 stream the server proved it never saw
	 */
	public static boolean neverProcessed(ClientHttpRequest request) {
		if (request.getNativeRequest() instanceof Connection connection
				&& connection.channel() instanceof Http2StreamChannel stream) {
			Http2ConnectionWatch watch = Http2ConnectionWatch.of(stream.parent());
			return watch != null && watch.neverProcessed(stream.stream().id());
		}
		return false;
	}

}
