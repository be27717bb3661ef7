package dev.steady.testserver;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * A real HTTP/1.1 server on a loopback port that misbehaves on purpose, and counts what it
 * did: connections accepted, open and closed, requests executed, the most connections open
 * at once.
 * <p>
 * With {@link Builder#dropIdleAfter(Duration)} it behaves like a load balancer that
 * silently forgot a keep-alive flow: a request arriving on a connection that sat idle
 * longer than the limit is dropped unread and the connection closed, never with a
 * {@code Connection: close} warning. With {@link Builder#closeIdleAfter(Duration)} it closes
 * connections idle for longer than the limit with a FIN, as nginx, Node and HAProxy do. With
 * {@link Builder#respondAfter(Duration)} every
 * response is delayed, so requests hold their connections. With
 * {@link Builder#bodySize(int)} every response carries a large body, which a client that
 * never consumes it cannot finish reading, so the connection stays leased.
 */
public final class MisbehavingServer implements AutoCloseable {

	/** Header naming a request, so the server can count its executions. */
	public static final String REQUEST_ID = "X-Request-Id";

	private static final AttributeKey<Long> LAST_RESPONSE = AttributeKey.valueOf("steady.test.lastResponse");

	private static final AttributeKey<AtomicInteger> REQUESTS_ON_CONNECTION = AttributeKey
		.valueOf("steady.test.requestsOnConnection");

	private static final AttributeKey<Boolean> DROP_AFTER_EXECUTING = AttributeKey
		.valueOf("steady.test.dropAfterExecuting");

	private static final AttributeKey<Boolean> ANSWERING = AttributeKey.valueOf("steady.test.answering");

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private final Set<Channel> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger executed = new AtomicInteger();

	private final AtomicInteger dropped = new AtomicInteger();

	private final AtomicInteger maxOpen = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private final Map<String, AtomicInteger> executionsById = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> answersById = new ConcurrentHashMap<>();

	private final AtomicInteger maxRequestsOnOneConnection = new AtomicInteger();

	private final Builder settings;

	private final Channel serverChannel;

	private MisbehavingServer(Builder settings) {
		this.settings = settings;
		this.serverChannel = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					track(channel);
					if (MisbehavingServer.this.settings.uploadFault == UploadFault.STALL) {
						// reads nothing: the client's request stays in the socket buffers, and then in its own
						channel.config().setAutoRead(false);
						channel.config().setOption(ChannelOption.SO_RCVBUF, 4096);
					}
					channel.pipeline()
						.addLast(new IdleDropHandler())
						.addLast(new HttpServerCodec())
						.addLast(new HttpObjectAggregator(1024 * 1024))
						.addLast(new RespondingHandler());
				}
			})
			.bind(new InetSocketAddress("127.0.0.1", 0))
			.syncUninterruptibly()
			.channel();
	}

	/**
	 * Start configuring a server.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Port the server listens on.
	 * @return the port
	 */
	public int port() {
		return ((InetSocketAddress) this.serverChannel.localAddress()).getPort();
	}

	/**
	 * Base URL of the server.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * Connections accepted so far.
	 * @return the count
	 */
	public int acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * Connections open now.
	 * @return the count
	 */
	public int openConnections() {
		return this.open.size();
	}

	/**
	 * Most connections that were open at the same time.
	 * @return the count
	 */
	public int maxOpenConnections() {
		return this.maxOpen.get();
	}

	/**
	 * Most requests received and not yet executed at the same time: a client sends at most as
	 * many at once as its pool holds connections, whereas {@link #maxOpenConnections()} can
	 * briefly count a connection the client closed and has replaced before the server saw it
	 * close.
	 * @return the count
	 */
	public int maxRequestsInFlight() {
		return this.maxInFlight.get();
	}

	/**
	 * Requests the server executed (answered).
	 * @return the count
	 */
	public int executedRequests() {
		return this.executed.get();
	}

	/**
	 * How often the server executed the request carrying the given {@value #REQUEST_ID} header.
	 * @param requestId the request id
	 * @return the count
	 */
	public int executionsOf(String requestId) {
		AtomicInteger count = this.executionsById.get(requestId);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * How often the server answered the request carrying the given {@value #REQUEST_ID}
	 * header: its executions less those it dropped unanswered.
	 * @param requestId the request id
	 * @return the count
	 */
	public int answersOf(String requestId) {
		AtomicInteger count = this.answersById.get(requestId);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Most executions of any one request id.
	 * @return the count
	 */
	public int maxExecutionsOfOneRequest() {
		return this.executionsById.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
	}

	/**
	 * Most requests any one connection carried.
	 * @return the count
	 */
	public int maxRequestsOnOneConnection() {
		return this.maxRequestsOnOneConnection.get();
	}

	/**
	 * Requests dropped because their connection had been idle too long: unread, or executed and
	 * left unanswered ({@link Builder#executeThenDropIdleAfter}).
	 * @return the count
	 */
	public int droppedRequests() {
		return this.dropped.get();
	}

	/**
	 * Close every idle keep-alive connection at once with a FIN, whatever its idle time, as a
	 * server shutting down gracefully or nginx reloading does, and keep serving new ones.
	 * @return how many connections were closed
	 */
	public int closeIdleConnections() {
		int closed = 0;
		for (Channel channel : this.open) {
			if (!Boolean.TRUE.equals(channel.attr(ANSWERING).get())) {
				channel.close();
				closed++;
			}
		}
		return closed;
	}

	@Override
	public void close() {
		this.serverChannel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private void track(Channel channel) {
		this.accepted.incrementAndGet();
		this.open.add(channel);
		this.maxOpen.accumulateAndGet(this.open.size(), Math::max);
		channel.closeFuture().addListener((future) -> this.open.remove(channel));
	}

	/** Drops a request that arrives on a connection idle for longer than the limit. */
	private final class IdleDropHandler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (MisbehavingServer.this.settings.resetEverything) {
				ReferenceCountUtil.release(msg);
				MisbehavingServer.this.dropped.incrementAndGet();
				reset(ctx);
				return;
			}
			if (MisbehavingServer.this.settings.uploadFault == UploadFault.CLOSE) {
				ReferenceCountUtil.release(msg);
				MisbehavingServer.this.dropped.incrementAndGet();
				ctx.close();
				return;
			}
			Duration limit = MisbehavingServer.this.settings.dropIdleAfter;
			Long lastResponse = ctx.channel().attr(LAST_RESPONSE).get();
			if (limit != null && lastResponse != null && msg instanceof ByteBuf
					&& System.nanoTime() - lastResponse > limit.toNanos()) {
				if (MisbehavingServer.this.settings.executeBeforeDropping) {
					ctx.channel().attr(DROP_AFTER_EXECUTING).set(true);
					ctx.fireChannelRead(msg);
					return;
				}
				ReferenceCountUtil.release(msg);
				MisbehavingServer.this.dropped.incrementAndGet();
				ctx.close();
				return;
			}
			ctx.fireChannelRead(msg);
		}

	}

	/** Answers 200 with a short body, after the configured delay. */
	private final class RespondingHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			String id = request.headers().get(REQUEST_ID, "none");
			ctx.channel().attr(ANSWERING).set(true);
			MisbehavingServer.this.maxInFlight.accumulateAndGet(MisbehavingServer.this.inFlight.incrementAndGet(),
					Math::max);
			Duration delay = MisbehavingServer.this.settings.respondAfter;
			if (delay.isZero()) {
				execute(ctx, keepAlive, id);
			}
			else {
				ctx.executor().schedule(() -> execute(ctx, keepAlive, id), delay.toMillis(), TimeUnit.MILLISECONDS);
			}
		}

		private void execute(ChannelHandlerContext ctx, boolean keepAlive, String id) {
			Builder settings = MisbehavingServer.this.settings;
			MisbehavingServer.this.inFlight.decrementAndGet();
			int count = MisbehavingServer.this.executed.incrementAndGet();
			ctx.channel().attr(REQUESTS_ON_CONNECTION).setIfAbsent(new AtomicInteger());
			int onThisConnection = ctx.channel().attr(REQUESTS_ON_CONNECTION).get().incrementAndGet();
			MisbehavingServer.this.maxRequestsOnOneConnection.accumulateAndGet(onThisConnection, Math::max);
			int executionsOfThisId = MisbehavingServer.this.executionsById
				.computeIfAbsent(id, (key) -> new AtomicInteger())
				.incrementAndGet();
			boolean first = executionsOfThisId == 1;
			if (Boolean.TRUE.equals(ctx.channel().attr(DROP_AFTER_EXECUTING).get())) {
				MisbehavingServer.this.dropped.incrementAndGet();
				ctx.close();
				return;
			}
			MisbehavingServer.this.answersById.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			if (first && settings.resetAfterFirstExecution) {
				reset(ctx);
			}
			else if (settings.closeDuringResponse) {
				HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
				HttpUtil.setContentLength(head, 100);
				ctx.write(head);
				ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("partial", StandardCharsets.UTF_8)))
					.addListener(ChannelFutureListener.CLOSE);
			}
			else if (first && settings.firstStatus != null) {
				respond(ctx, keepAlive, settings.firstStatus, "no", settings.firstRetryAfter);
			}
			else {
				respond(ctx, keepAlive && !settings.closeAfterEachResponse, HttpResponseStatus.OK, "ok " + count, null);
			}
		}

		private void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String text,
				String retryAfter) {
			int size = MisbehavingServer.this.settings.bodySize;
			ByteBuf body = (size > 0 && status == HttpResponseStatus.OK) ? Unpooled.wrappedBuffer(new byte[size])
					: Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
			if (retryAfter != null) {
				response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
			}
			response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
			HttpUtil.setContentLength(response, body.readableBytes());
			HttpUtil.setKeepAlive(response, keepAlive);
			if (keepAlive && MisbehavingServer.this.settings.keepAliveHint != null) {
				response.headers().set("Keep-Alive", "timeout=" + MisbehavingServer.this.settings.keepAliveHint);
			}
			ctx.channel().attr(LAST_RESPONSE).set(System.nanoTime());
			ctx.writeAndFlush(response).addListener((ChannelFutureListener) (future) -> {
				ctx.channel().attr(LAST_RESPONSE).set(System.nanoTime());
				ctx.channel().attr(ANSWERING).set(false);
				if (!keepAlive) {
					future.channel().close();
				}
				else if (MisbehavingServer.this.settings.closeIdleAfter != null) {
					closeIfStillIdle(ctx, MisbehavingServer.this.settings.closeIdleAfter);
				}
			});
		}

		/** Close the connection with a FIN if no request arrives on it within the limit. */
		private void closeIfStillIdle(ChannelHandlerContext ctx, Duration limit) {
			AtomicInteger requests = ctx.channel().attr(REQUESTS_ON_CONNECTION).get();
			int answered = requests.get();
			ctx.executor().schedule(() -> {
				if (requests.get() == answered) {
					ctx.close();
				}
			}, limit.toNanos(), TimeUnit.NANOSECONDS);
		}

	}

	/** Close with a TCP reset instead of a FIN. */
	private static void reset(ChannelHandlerContext ctx) {
		ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
		ctx.close();
	}

	/** What the server does with requests as they arrive, before reading their bodies. */
	private enum UploadFault {

		CLOSE, STALL

	}

	/**
	 * How a {@link MisbehavingServer} misbehaves.
	 */
	public static final class Builder {

		private Duration dropIdleAfter;

		private Duration closeIdleAfter;

		private boolean executeBeforeDropping;

		private Duration respondAfter = Duration.ZERO;

		private int bodySize;

		private boolean resetEverything;

		private UploadFault uploadFault;

		private boolean resetAfterFirstExecution;

		private boolean closeDuringResponse;

		private HttpResponseStatus firstStatus;

		private String firstRetryAfter;

		private Integer keepAliveHint;

		private boolean closeAfterEachResponse;

		private Builder() {
		}

		/**
		 * Answer every request with a body of this many bytes instead of a short text.
		 * @param bytes the body size
		 * @return this builder
		 */
		public Builder bodySize(int bytes) {
			this.bodySize = bytes;
			return this;
		}

		/**
		 * Announce an idle timeout in a {@code Keep-Alive: timeout=N} header on every
		 * keep-alive response.
		 * @param seconds the announced timeout
		 * @return this builder
		 */
		public Builder keepAliveHint(int seconds) {
			this.keepAliveHint = seconds;
			return this;
		}

		/**
		 * Answer every request with {@code Connection: close} and close the connection.
		 * @return this builder
		 */
		public Builder closeAfterEachResponse() {
			this.closeAfterEachResponse = true;
			return this;
		}

		/**
		 * Reset every connection as soon as a request arrives, executing nothing: an outage.
		 * @return this builder
		 */
		public Builder resetEverything() {
			this.resetEverything = true;
			return this;
		}

		/**
		 * Close every connection with a FIN as soon as the first bytes of a request arrive,
		 * executing nothing: a server or proxy aborting an upload it will not take, while a
		 * large request body is still being sent.
		 * @return this builder
		 */
		public Builder closeDuringUpload() {
			return upload(UploadFault.CLOSE);
		}

		/**
		 * Accept connections and never read from them: a stalled server, or one whose
		 * receive window stays full, so a large request body can never be written.
		 * @return this builder
		 */
		public Builder stallUploads() {
			return upload(UploadFault.STALL);
		}

		private Builder upload(UploadFault fault) {
			this.uploadFault = fault;
			return this;
		}

		/**
		 * Read and execute each request id's first request, then reset the connection instead
		 * of answering; later requests with the same id are answered.
		 * @return this builder
		 */
		public Builder resetAfterFirstExecution() {
			this.resetAfterFirstExecution = true;
			return this;
		}

		/**
		 * Execute every request, then send the status line and part of the body and close.
		 * @return this builder
		 */
		public Builder closeDuringResponse() {
			this.closeDuringResponse = true;
			return this;
		}

		/**
		 * Answer each request id's first request with a status and a Retry-After header;
		 * later requests with the same id get 200.
		 * @param status the first status
		 * @param retryAfter the Retry-After value
		 * @return this builder
		 */
		public Builder firstAnswer(int status, String retryAfter) {
			this.firstStatus = HttpResponseStatus.valueOf(status);
			this.firstRetryAfter = retryAfter;
			return this;
		}

		/**
		 * Drop requests on connections idle longer than this, closing the connection.
		 * @param limit the idle limit
		 * @return this builder
		 */
		public Builder dropIdleAfter(Duration limit) {
			this.dropIdleAfter = limit;
			return this;
		}

		/**
		 * Execute requests that arrive on connections idle longer than this, then close the
		 * connection without answering: the request ran, yet the client sees a stale
		 * connection, so a client that resends it executes it twice.
		 * @param limit the idle limit
		 * @return this builder
		 */
		public Builder executeThenDropIdleAfter(Duration limit) {
			this.dropIdleAfter = limit;
			this.executeBeforeDropping = true;
			return this;
		}

		/**
		 * Close connections idle for longer than this with a FIN, as nginx, Node and HAProxy
		 * do when their keep-alive timeout expires.
		 * @param limit the idle timeout
		 * @return this builder
		 */
		public Builder closeIdleAfter(Duration limit) {
			this.closeIdleAfter = limit;
			return this;
		}

		/**
		 * Delay every response.
		 * @param delay the delay
		 * @return this builder
		 */
		public Builder respondAfter(Duration delay) {
			this.respondAfter = delay;
			return this;
		}

		/**
		 * Start the server on a free loopback port.
		 * @return the running server
		 */
		public MisbehavingServer start() {
			return new MisbehavingServer(this);
		}

	}

}
