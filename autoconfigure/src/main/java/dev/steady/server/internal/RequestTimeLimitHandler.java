package dev.steady.server.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Enforces the time limits of an HTTP/1.1 connection, as {@link RequestDeadlines} defines
 * them, with one timer per connection. Reactor Netty's own idle, read and request timeouts
 * add and remove a pipeline handler and schedule and cancel a timer on every request; this
 * handler only notes the time of each event, and its single timer, which fires at least once
 * per shortest limit, checks whether the current phase has lasted too long. A new deadline is
 * never earlier than that timer, so no event has to cancel or reschedule it.
 * <p>
 * On expiry: slow headers are answered {@code 408 Request Timeout} (when no earlier response
 * is still owed) and the connection closed; a slow body fails the request being read with a
 * {@link RequestBodyTimeoutException}, as Reactor Netty's read timeout does, so that
 * {@link BodyTimeoutExceptionHandler} answers 408, and the connection is closed; an idle
 * connection, or one whose body still trickles in after an early response, is closed.
 * <p>
 * A connection that switches protocols (WebSocket, HTTP/2 by {@code Upgrade: h2c} or by
 * prior knowledge) leaves HTTP/1.1, and the handler removes itself. One instance per connection, in two places: right after the HTTP codec, where it
 * sees decoded requests and the responses written, and right before the codec, where a small
 * companion sees the first raw byte of the next request.
 */
final class RequestTimeLimitHandler extends ChannelDuplexHandler {

	static final String NAME = "steady.requestTimeLimit";

	static final String FIRST_BYTE_NAME = "steady.requestFirstByte";

	private final RequestDeadlines.Limits limits;

	private final LongSupplier clock;

	private final FirstByteWatcher firstByteWatcher = new FirstByteWatcher();

	private @Nullable RequestDeadlines deadlines;

	private @Nullable ChannelHandlerContext ctx;

	private @Nullable ScheduledFuture<?> timer;

	private RequestTimeLimitHandler(RequestDeadlines.Limits limits, LongSupplier clock) {
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * Add a handler around the HTTP/1.1 codec of a new connection.
	 * @param pipeline the connection's pipeline, holding Reactor Netty's HTTP/1.1 codec
	 * @param limits the time limits
	 * @param clock the clock in nanoseconds, {@code System::nanoTime} but in tests
	 */
	static void install(ChannelPipeline pipeline, RequestDeadlines.Limits limits, LongSupplier clock) {
		install(pipeline, NettyPipeline.HttpCodec, limits, clock);
	}

	/**
	 * Add a handler around the HTTP/1.1 codec of a new connection.
	 * @param pipeline the connection's pipeline
	 * @param codec the name of its HTTP/1.1 codec
	 * @param limits the time limits
	 * @param clock the clock in nanoseconds, {@code System::nanoTime} but in tests
	 */
	static void install(ChannelPipeline pipeline, String codec, RequestDeadlines.Limits limits, LongSupplier clock) {
		RequestTimeLimitHandler handler = new RequestTimeLimitHandler(limits, clock);
		pipeline.addBefore(codec, FIRST_BYTE_NAME, handler.firstByteWatcher);
		pipeline.addAfter(codec, NAME, handler);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		long now = this.clock.getAsLong();
		this.deadlines = new RequestDeadlines(this.limits, now);
		armTimer(now);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimer();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelTimer();
		super.channelInactive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		RequestDeadlines deadlines = this.deadlines;
		if (deadlines != null) {
			if (msg instanceof HttpRequest) {
				long now = this.clock.getAsLong();
				deadlines.headersComplete(now);
				armTimer(now);
			}
			if (msg instanceof LastHttpContent) {
				long now = this.clock.getAsLong();
				deadlines.bodyComplete(now);
				armTimer(now);
			}
			else if (msg instanceof HttpContent) {
				deadlines.bodyRead(this.clock.getAsLong());
			}
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		HttpResponseStatus status = (msg instanceof HttpResponse response) ? response.status() : null;
		boolean informational = status != null && status.codeClass() == HttpStatusClass.INFORMATIONAL;
		RequestDeadlines deadlines = this.deadlines;
		if (deadlines != null && !informational && msg instanceof LastHttpContent) {
			long now = this.clock.getAsLong();
			deadlines.responseComplete(now);
			armTimer(now);
		}
		super.write(ctx, msg, promise);
		if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(status)) {
			leaveHttp11(ctx.pipeline());
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof PriorKnowledgeUpgradeEvent) {
			leaveHttp11(ctx.pipeline());
		}
		super.userEventTriggered(ctx, evt);
	}

	/** The connection now speaks another protocol (WebSocket, HTTP/2): Steady's HTTP/1.1 handlers leave. */
	private void leaveHttp11(ChannelPipeline pipeline) {
		pipeline.remove(this.firstByteWatcher);
		pipeline.remove(this);
		if (pipeline.get(KeepAliveHeaderHandler.NAME) != null) {
			pipeline.remove(KeepAliveHeaderHandler.NAME);
		}
	}

	private void requestBytesArrived() {
		RequestDeadlines deadlines = this.deadlines;
		if (deadlines != null && deadlines.awaitingNextRequest()) {
			long now = this.clock.getAsLong();
			deadlines.bytesArrived(now);
			armTimer(now);
		}
	}

	/**
	 * Make sure the timer runs when the current phase has a limit. A running timer is left
	 * alone: it fires within the shortest limit, never later than a deadline set since.
	 */
	private void armTimer(long now) {
		ChannelHandlerContext context = this.ctx;
		RequestDeadlines deadlines = this.deadlines;
		if (this.timer != null || context == null || deadlines == null) {
			return;
		}
		long left = deadlines.nanosUntilExpiry(now);
		if (left != RequestDeadlines.UNLIMITED) {
			long delay = Math.max(0, Math.min(left, this.limits.shortest()));
			this.timer = context.executor().schedule(this::timerFired, delay, TimeUnit.NANOSECONDS);
		}
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private void timerFired() {
		this.timer = null;
		ChannelHandlerContext context = this.ctx;
		RequestDeadlines deadlines = this.deadlines;
		if (context == null || deadlines == null || !context.channel().isActive()) {
			return;
		}
		long now = this.clock.getAsLong();
		if (deadlines.nanosUntilExpiry(now) > 0) {
			armTimer(now);
			return;
		}
		switch (deadlines.expire(now)) {
			case ANSWER_REQUEST_TIMEOUT -> answerRequestTimeout(context);
			case BODY_READ_TIMEOUT -> failRequest(context, RequestBodyTimeoutException.READ_TIMEOUT);
			case BODY_REQUEST_TIMEOUT -> failRequest(context, RequestBodyTimeoutException.REQUEST_TIMEOUT);
			case CLOSE -> context.close();
		}
	}

	private static void answerRequestTimeout(ChannelHandlerContext context) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.REQUEST_TIMEOUT);
		response.headers()
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	/** As Reactor Netty's read timeout: the request being read fails, then the connection closes. */
	private static void failRequest(ChannelHandlerContext context, RequestBodyTimeoutException failure) {
		context.fireExceptionCaught(failure);
		context.close();
	}

	/** Sees raw request bytes before the codec; drops them once a time limit expired. */
	private final class FirstByteWatcher extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			RequestDeadlines deadlines = RequestTimeLimitHandler.this.deadlines;
			if (deadlines != null && deadlines.expired()) {
				ReferenceCountUtil.release(msg);
				return;
			}
			if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
				requestBytesArrived();
			}
			super.channelRead(ctx, msg);
		}

	}

}
