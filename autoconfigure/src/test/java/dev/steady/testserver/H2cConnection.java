package dev.steady.testserver;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP/2 client connection with prior knowledge (h2c) to a loopback port, built from
 * Netty's frame codec: it opens streams, sends HEADERS, DATA and RST_STREAM frames as a test
 * tells it, and records what the server sends back (its SETTINGS, GOAWAY, and per stream the
 * response headers, body and reset), so that a test can assert on the frames on the wire.
 */
public final class H2cConnection implements AutoCloseable {

	private static final Duration CEILING = Duration.ofSeconds(30);

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final Channel channel;

	private volatile @Nullable Http2Settings serverSettings;

	private volatile @Nullable Http2GoAwayFrame goAway;

	private H2cConnection(int port) {
		this.channel = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel ch) {
					ch.pipeline()
						.addLast(Http2FrameCodecBuilder.forClient().build(),
								new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()), new ConnectionFrames());
				}
			})
			.connect(new InetSocketAddress("127.0.0.1", port))
			.syncUninterruptibly()
			.channel();
	}

	/**
	 * Connect and wait for the server's SETTINGS frame.
	 * @param port the server's loopback port
	 * @return the connection
	 */
	public static H2cConnection open(int port) {
		H2cConnection connection = new H2cConnection(port);
		Awaitility.await().atMost(CEILING).until(() -> connection.serverSettings != null);
		return connection;
	}

	/**
	 * The settings the server sent first.
	 * @return its SETTINGS frame's values
	 */
	public Http2Settings serverSettings() {
		Http2Settings settings = this.serverSettings;
		if (settings == null) {
			throw new IllegalStateException("No SETTINGS from the server");
		}
		return settings;
	}

	/**
	 * Open a stream and send a request's HEADERS.
	 * @param method the method
	 * @param path the path
	 * @param endStream whether the request has no body
	 * @return the stream
	 */
	public Stream request(String method, String path, boolean endStream) {
		Stream stream = new Stream();
		Http2StreamChannel streamChannel = new Http2StreamChannelBootstrap(this.channel).handler(stream)
			.open()
			.syncUninterruptibly()
			.getNow();
		stream.channel = streamChannel;
		Http2Headers headers = new DefaultHttp2Headers().method(method)
			.path(path)
			.scheme("http")
			.authority("127.0.0.1");
		streamChannel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream)).syncUninterruptibly();
		return stream;
	}

	/**
	 * Whether the server closed the connection.
	 * @return whether the connection is closed
	 */
	public boolean isClosed() {
		return !this.channel.isActive();
	}

	/**
	 * The server's GOAWAY frame, if it sent one.
	 * @return the frame's error code, or null
	 */
	public @Nullable Long goAwayErrorCode() {
		Http2GoAwayFrame frame = this.goAway;
		return (frame != null) ? frame.errorCode() : null;
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** What the server sends on one stream. */
	public static final class Stream extends ChannelInboundHandlerAdapter {

		private final List<Http2Headers> headers = new CopyOnWriteArrayList<>();

		private final StringBuffer body = new StringBuffer();

		private volatile boolean ended;

		private volatile @Nullable Long resetErrorCode;

		private volatile @Nullable Http2StreamChannel channel;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof Http2HeadersFrame frame) {
					this.headers.add(frame.headers());
					this.ended |= frame.isEndStream();
				}
				else if (msg instanceof Http2DataFrame frame) {
					this.body.append(frame.content().toString(StandardCharsets.UTF_8));
					this.ended |= frame.isEndStream();
				}
				else if (msg instanceof Http2ResetFrame frame) {
					this.resetErrorCode = frame.errorCode();
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		/**
		 * Send part of the request body.
		 * @param data the bytes, as text
		 * @param endStream whether it is the last part
		 */
		public void send(String data, boolean endStream) {
			channel().writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(data, StandardCharsets.UTF_8),
					endStream)).syncUninterruptibly();
		}

		/** Cancel the stream with RST_STREAM(CANCEL). */
		public void reset() {
			channel().writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
		}

		/**
		 * Wait until the server ended the response or reset the stream.
		 * @return this stream
		 */
		public Stream awaitEnd() {
			Awaitility.await().atMost(CEILING).until(() -> this.ended || this.resetErrorCode != null);
			return this;
		}

		/**
		 * Whether the response ended or the stream was reset.
		 * @return whether the server is done with the stream
		 */
		public boolean isDone() {
			return this.ended || this.resetErrorCode != null;
		}

		/**
		 * Response headers (and trailers), in the order received.
		 * @return every HEADERS frame's headers
		 */
		public List<Http2Headers> headers() {
			return this.headers;
		}

		/**
		 * The response's status.
		 * @return the {@code :status} of the first HEADERS frame, or null
		 */
		public @Nullable String status() {
			return this.headers.isEmpty() ? null : String.valueOf(this.headers.get(0).status());
		}

		/**
		 * The response body received.
		 * @return the body as text
		 */
		public String body() {
			return this.body.toString();
		}

		/**
		 * The error code of the server's RST_STREAM, if it reset the stream.
		 * @return the code, or null
		 */
		public @Nullable Long resetErrorCode() {
			return this.resetErrorCode;
		}

		private Http2StreamChannel channel() {
			Http2StreamChannel streamChannel = this.channel;
			if (streamChannel == null) {
				throw new IllegalStateException("Stream not open");
			}
			return streamChannel;
		}

	}

	/** Records the server's connection-level frames. */
	private final class ConnectionFrames extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof Http2SettingsFrame frame && H2cConnection.this.serverSettings == null) {
					H2cConnection.this.serverSettings = frame.settings();
				}
				else if (msg instanceof Http2GoAwayFrame frame) {
					H2cConnection.this.goAway = frame.retain();
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

}
