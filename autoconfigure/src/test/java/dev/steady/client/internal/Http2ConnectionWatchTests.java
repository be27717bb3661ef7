package dev.steady.client.internal;

import java.io.IOException;
import java.time.Duration;

import dev.steady.client.ClientSettings;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch of a real HTTP/2 client codec: a stream whose HEADERS the transport refused to
 * write (the broken pipe of a connection its server closed) is one the server never saw; a
 * stream whose HEADERS were written is not.
 */
class Http2ConnectionWatchTests {

	@Test
	void streamWhoseHeadersWriteFailedWasNeverProcessed() {
		BrokenPipe transport = new BrokenPipe();
		EmbeddedChannel connection = connection(transport);
		transport.peerClosed = true;
		Http2StreamChannel stream = openStreamAndSendHeaders(connection);
		assertThat(stream.stream().id()).as("stream id").isPositive();
		assertThat(Http2ConnectionWatch.of(connection).neverProcessed(stream.stream().id())).isTrue();
	}

	@Test
	void streamWhoseHeadersWereWrittenMayHaveBeenProcessed() {
		EmbeddedChannel connection = connection(new ChannelOutboundHandlerAdapter());
		Http2StreamChannel stream = openStreamAndSendHeaders(connection);
		assertThat(Http2ConnectionWatch.of(connection).neverProcessed(stream.stream().id())).isFalse();
		connection.finishAndReleaseAll();
	}

	/** A client connection: the transport, a real client codec, the watch, and the streams. */
	private static EmbeddedChannel connection(ChannelOutboundHandlerAdapter transport) {
		EmbeddedChannel connection = new EmbeddedChannel(transport, Http2FrameCodecBuilder.forClient().build(),
				new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
		Http2ConnectionWatch.watch(connection, "h2c", new LearnedIdleTimeouts(),
				new ClientSettings.Ping(Duration.ofSeconds(10), Duration.ofSeconds(5), 2));
		return connection;
	}

	private static Http2StreamChannel openStreamAndSendHeaders(EmbeddedChannel connection) {
		Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new ChannelInboundHandlerAdapter())
			.open()
			.syncUninterruptibly()
			.getNow();
		stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").path("/"), false));
		connection.runPendingTasks();
		return stream;
	}

	/** A transport whose writes fail once its peer has closed. */
	private static final class BrokenPipe extends ChannelOutboundHandlerAdapter {

		private boolean peerClosed;

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (!this.peerClosed) {
				ctx.write(msg, promise);
				return;
			}
			ReferenceCountUtil.release(msg);
			promise.setFailure(new IOException("writevAddresses(..) failed: Broken pipe"));
		}

	}

}
