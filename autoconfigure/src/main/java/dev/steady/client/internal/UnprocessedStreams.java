package dev.steady.client.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientState;

import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Tells whether the HTTP/2 stream of a failed request is one the server never processed, so
 * that sending it again is safe whatever its method (RFC 9113, section 6.8): a stream whose
 * HEADERS were never written, or one above the last stream id of a GOAWAY the server sent.
 * <p>
 * As an observer of a client that may speak HTTP/2, it remembers each connection's HTTP/2
 * state, which its codec takes away when the connection closes.
 */
public final class UnprocessedStreams implements ConnectionObserver {

	private static final AttributeKey<Http2Connection> HTTP2 = AttributeKey.valueOf("steady.http2Connection");

	@Override
	public void onStateChange(Connection connection, State newState) {
		if (newState == HttpClientState.STREAM_CONFIGURED
				&& connection.channel() instanceof Http2StreamChannel stream) {
			Channel parent = stream.parent();
			if (!parent.hasAttr(HTTP2)) {
				Http2FrameCodec codec = parent.pipeline().get(Http2FrameCodec.class);
				if (codec != null) {
					parent.attr(HTTP2).setIfAbsent(codec.connection());
				}
			}
		}
	}

	/**
	 * Whether the server never processed the request.
	 * @param request the request, once its connection was acquired
	 * @return {@code true} only for an HTTP/2 stream the server proved it never saw
	 */
	public static boolean neverProcessed(ClientHttpRequest request) {
		Http2StreamChannel stream = stream(request);
		return stream != null && judge(stream);
	}

	private static boolean judge(Http2StreamChannel stream) {
		int id = stream.stream().id();
		if (id <= 0) {
			// no stream id: its HEADERS never left
			return true;
		}
		Http2Connection http2 = stream.parent().attr(HTTP2).get();
		return http2 != null && http2.goAwayReceived() && id > http2.local().lastStreamKnownByPeer();
	}

	private static @Nullable Http2StreamChannel stream(ClientHttpRequest request) {
		return (request.getNativeRequest() instanceof Connection connection
				&& connection.channel() instanceof Http2StreamChannel stream) ? stream : null;
	}

}
