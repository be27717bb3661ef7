package dev.steady.testserver;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One real HTTP/1.1 server listening as many distinct hosts: a free port on each of the
 * loopback addresses 127.0.0.2, 127.0.0.3, ..., all served by one small event loop group. It
 * closes every keep-alive connection idle for longer than a limit with a FIN, as nginx does,
 * and counts the requests it executed.
 */
public final class ManyHostsServer implements AutoCloseable {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private final List<Channel> listening = new ArrayList<>();

	private final AtomicInteger executed = new AtomicInteger();

	private final Duration closeIdleAfter;

	private ManyHostsServer(int hosts, Duration closeIdleAfter) {
		this.closeIdleAfter = closeIdleAfter;
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new RespondingHandler());
				}

			});
		for (int host = 0; host < hosts; host++) {
			InetSocketAddress address = new InetSocketAddress("127.0.0." + (2 + host), 0);
			this.listening.add(bootstrap.bind(address).syncUninterruptibly().channel());
		}
	}

	/**
	 * Listen on a free port of each of {@code hosts} loopback addresses, from 127.0.0.2 on.
	 * @param hosts how many hosts, at most 250
	 * @param closeIdleAfter how long a keep-alive connection may stay idle before it is closed
	 * @return the running server
	 */
	public static ManyHostsServer start(int hosts, Duration closeIdleAfter) {
		if (hosts < 1 || hosts > 250) {
			throw new IllegalArgumentException("Between 1 and 250 loopback hosts, not " + hosts);
		}
		return new ManyHostsServer(hosts, closeIdleAfter);
	}

	/**
	 * The base URL of every host, such as {@code http://127.0.0.2:41234}.
	 * @return one URL per host
	 */
	public List<String> urls() {
		return this.listening.stream().map((channel) -> {
			InetSocketAddress address = (InetSocketAddress) channel.localAddress();
			return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
		}).toList();
	}

	/**
	 * Requests executed so far, over every host.
	 * @return the count
	 */
	public int executedRequests() {
		return this.executed.get();
	}

	@Override
	public void close() {
		this.listening.forEach((channel) -> channel.close().syncUninterruptibly());
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** Answers 200 at once, then closes the connection if it stays idle for the limit. */
	private final class RespondingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

		private int answered;

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			int count = ManyHostsServer.this.executed.incrementAndGet();
			int answeredNow = ++this.answered;
			ByteBuf body = Unpooled.copiedBuffer("ok " + count, StandardCharsets.UTF_8);
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
			HttpUtil.setContentLength(response, body.readableBytes());
			HttpUtil.setKeepAlive(response, true);
			ctx.writeAndFlush(response).addListener((ChannelFutureListener) (future) -> ctx.executor().schedule(() -> {
				if (this.answered == answeredNow) {
					ctx.close();
				}
			}, ManyHostsServer.this.closeIdleAfter.toNanos(), TimeUnit.NANOSECONDS));
		}

	}

}
