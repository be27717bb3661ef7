package dev.steady.testserver;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * An h2c server (prior knowledge) on port 0 that refuses the first stream of its first
 * connection the way a server ending a connection does: a GOAWAY whose last stream id is
 * below the stream's, then the close, without executing it. Every other stream is executed
 * and answered 200 once its request is complete; the server counts what it executed.
 */
public final class GoAwayServer implements AutoCloseable {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger executed = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private final Channel channel;

	public GoAwayServer() {
		this.channel = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					boolean refuseFirst = GoAwayServer.this.connections.incrementAndGet() == 1;
					Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
					channel.pipeline().addLast(codec, new Streams(codec, refuseFirst));
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

	/** Streams refused by GOAWAY. */
	public int refused() {
		return this.refused.get();
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

		Streams(Http2FrameCodec codec, boolean refuseFirst) {
			this.codec = codec;
			this.refuseNext = refuseFirst;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (!(msg instanceof Http2StreamFrame frame)) {
					return;
				}
				if (this.refuseNext && msg instanceof Http2HeadersFrame) {
					this.refuseNext = false;
					GoAwayServer.this.refused.incrementAndGet();
					int lastProcessed = frame.stream().id() - 2;
					ChannelHandlerContext codecContext = ctx.pipeline().context(this.codec);
					this.codec
						.goAway(codecContext, Math.max(lastProcessed, 0), Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER,
								codecContext.newPromise())
						.addListener((future) -> ctx.close());
					ctx.flush();
					return;
				}
				boolean complete = (msg instanceof Http2HeadersFrame headers && headers.isEndStream())
						|| (msg instanceof Http2DataFrame data && data.isEndStream());
				if (complete && ctx.channel().isActive()) {
					GoAwayServer.this.executed.incrementAndGet();
					ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(frame.stream()));
					ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer("ok".getBytes()), true)
						.stream(frame.stream()));
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

}
