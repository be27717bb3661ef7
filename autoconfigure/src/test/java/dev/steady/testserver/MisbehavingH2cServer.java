package dev.steady.testserver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * An h2c server (prior knowledge) on port 0 whose first connection misbehaves in one of the
 * ways HTTP/2 servers do: it refuses its first stream without executing it, the way a server
 * ending a connection does (a GOAWAY whose last stream id is below the stream's, then the
 * close) or with {@code RST_STREAM REFUSED_STREAM}, the connection kept; it ends the
 * connection with a GOAWAY once it has been idle for {@link #IDLE_TIMEOUT}, as nginx does; or
 * it falls silent at its first stream, as a stopped or unreachable peer does; or every
 * connection serves {@link #STREAMS_PER_CONNECTION} streams, and ends with a GOAWAY at the
 * next, as nginx does after {@code keepalive_requests}. Every other stream is executed and answered 200 once its request is complete; the server
 * counts what it executed.
 */
public final class MisbehavingH2cServer implements AutoCloseable {

	/** How long the first connection may stay idle, with {@link Misbehaviour#IDLE_TIMEOUT}. */
	public static final Duration IDLE_TIMEOUT = Duration.ofMillis(400);

	/** Streams each connection serves, with {@link Misbehaviour#STREAM_LIMIT}. */
	public static final int STREAMS_PER_CONNECTION = 3;

	/** How long a stream waits for its answer, with {@link Misbehaviour#STREAM_LIMIT}: streams overlap. */
	public static final Duration STREAM_LIMIT_ANSWER_DELAY = Duration.ofSeconds(1);

	/** How the first connection misbehaves. */
	public enum Misbehaviour {

		/** Its first stream gets a GOAWAY below the stream's id, then the close. */
		GOAWAY,

		/** Its first stream gets {@code RST_STREAM} with {@code REFUSED_STREAM}. */
		REFUSED_STREAM,

		/** Its streams are served; idle for {@link #IDLE_TIMEOUT}, it gets a GOAWAY, then the close. */
		IDLE_TIMEOUT,

		/** At its first stream, it stops reading, and answers nothing more: not even a PING. */
		SILENT,

		/**
		 * Every connection serves {@link #STREAMS_PER_CONNECTION} streams, each answered after
		 * {@link #STREAM_LIMIT_ANSWER_DELAY}; the next gets a GOAWAY whose last stream id is the
		 * last served one's, and the connection closes once its streams are answered.
		 */
		STREAM_LIMIT

	}

	private final Misbehaviour misbehaviour;

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger executed = new AtomicInteger();

	private final AtomicInteger received = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private final AtomicInteger idleCloses = new AtomicInteger();

	private final Channel channel;

	/** A server that refuses the first stream by GOAWAY. */
	public MisbehavingH2cServer() {
		this(Misbehaviour.GOAWAY);
	}

	/**
	 * A server whose first connection misbehaves so.
	 * @param misbehaviour how
	 */
	public MisbehavingH2cServer(Misbehaviour misbehaviour) {
		this.misbehaviour = misbehaviour;
		this.channel = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					boolean first = MisbehavingH2cServer.this.connections.incrementAndGet() == 1;
					Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
					Silence silence = new Silence();
					channel.pipeline().addLast(silence, codec, new Streams(codec, silence, first));
				}
			})
			.bind(new InetSocketAddress("127.0.0.1", 0))
			.syncUninterruptibly()
			.channel();
	}

	/** The server's URL. */
	public String url() {
		return "http://127.0.0.1:" + ((InetSocketAddress) this.channel.localAddress()).getPort() + "/";
	}

	/** Requests executed and answered. */
	public int executed() {
		return this.executed.get();
	}

	/** Requests received whole, answered yet or not. */
	public int received() {
		return this.received.get();
	}

	/** Streams refused, or left unanswered by {@link Misbehaviour#SILENT}. */
	public int refused() {
		return this.refused.get();
	}

	/** Connections ended by the idle timeout. */
	public int idleCloses() {
		return this.idleCloses.get();
	}

	/** Connections accepted. */
	public int connections() {
		return this.connections.get();
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private final class Streams extends ChannelInboundHandlerAdapter {

		private final Http2FrameCodec codec;

		private boolean refuseNext;

		private final Silence silence;

		private final boolean idleTimeout;

		private @Nullable ScheduledFuture<?> idleClose;

		private int streamsServed;

		private int lastServed;

		// with STREAM_LIMIT: a GOAWAY was sent, and the connection closes once its streams are answered
		private boolean ending;

		private int unanswered;

		Streams(Http2FrameCodec codec, Silence silence, boolean first) {
			this.codec = codec;
			this.silence = silence;
			this.refuseNext = first && MisbehavingH2cServer.this.misbehaviour != Misbehaviour.IDLE_TIMEOUT
					&& MisbehavingH2cServer.this.misbehaviour != Misbehaviour.STREAM_LIMIT;
			this.idleTimeout = first && MisbehavingH2cServer.this.misbehaviour == Misbehaviour.IDLE_TIMEOUT;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (this.silence.silent || !(msg instanceof Http2StreamFrame frame)) {
					return;
				}
				if (this.refuseNext && msg instanceof Http2HeadersFrame) {
					this.refuseNext = false;
					MisbehavingH2cServer.this.refused.incrementAndGet();
					switch (MisbehavingH2cServer.this.misbehaviour) {
						case REFUSED_STREAM ->
							ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(frame.stream()));
						case SILENT -> this.silence.silent = true;
						default -> goAway(ctx, frame.stream().id() - 2);
					}
					return;
				}
				if (MisbehavingH2cServer.this.misbehaviour == Misbehaviour.STREAM_LIMIT
						&& msg instanceof Http2HeadersFrame && frame.stream().id() > this.lastServed) {
					if (this.streamsServed == STREAMS_PER_CONNECTION) {
						MisbehavingH2cServer.this.refused.incrementAndGet();
						if (!this.ending) {
							this.ending = true;
							sendGoAway(ctx, this.lastServed);
						}
						return;
					}
					this.streamsServed++;
					this.lastServed = frame.stream().id();
				}
				if (this.idleClose != null) {
					this.idleClose.cancel(false);
				}
				boolean complete = (msg instanceof Http2HeadersFrame headers && headers.isEndStream())
						|| (msg instanceof Http2DataFrame data && data.isEndStream());
				if (complete && ctx.channel().isActive()
						&& MisbehavingH2cServer.this.misbehaviour == Misbehaviour.STREAM_LIMIT) {
					MisbehavingH2cServer.this.received.incrementAndGet();
					this.unanswered++;
					ctx.executor().schedule(() -> answerThenEndIfLast(ctx, frame.stream()),
							STREAM_LIMIT_ANSWER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
					return;
				}
				if (complete && ctx.channel().isActive()) {
					MisbehavingH2cServer.this.received.incrementAndGet();
					answer(ctx, frame.stream());
					if (this.idleTimeout) {
						int lastStream = frame.stream().id();
						this.idleClose = ctx.executor().schedule(() -> {
							MisbehavingH2cServer.this.idleCloses.incrementAndGet();
							goAway(ctx, lastStream);
						}, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					}
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		private void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
			MisbehavingH2cServer.this.executed.incrementAndGet();
			ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
			ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer("ok".getBytes()), true).stream(stream));
		}

		private void answerThenEndIfLast(ChannelHandlerContext ctx, Http2FrameStream stream) {
			answer(ctx, stream);
			this.unanswered--;
			if (this.ending && this.unanswered == 0) {
				ctx.close();
			}
		}

		/** A GOAWAY saying streams up to this one were processed, then the close. */
		private void goAway(ChannelHandlerContext ctx, int lastProcessed) {
			sendGoAway(ctx, lastProcessed).addListener((future) -> ctx.close());
		}

		/** A GOAWAY saying streams up to this one were processed; the connection stays open. */
		private ChannelFuture sendGoAway(ChannelHandlerContext ctx, int lastProcessed) {
			ChannelHandlerContext codecContext = ctx.pipeline().context(this.codec);
			ChannelFuture sent = this.codec.goAway(codecContext, Math.max(lastProcessed, 0),
					Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, codecContext.newPromise());
			ctx.flush();
			return sent;
		}

	}

	/** Before the codec: once silent, the connection's bytes are dropped unread, PINGs too. */
	private static final class Silence extends ChannelInboundHandlerAdapter {

		// set on the connection's event loop, by the streams handler, when it falls silent
		private boolean silent;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (this.silent) {
				ReferenceCountUtil.release(msg);
				return;
			}
			ctx.fireChannelRead(msg);
		}

	}

}
