package dev.steady.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Enforces the request time limits Reactor Netty leaves open on an HTTP/1.1 connection.
 * <ul>
 * <li>Request header timeout: the request line and headers must be complete this long after
 * accept for a connection's first request, and after the first byte of the request for every
 * later one (a keep-alive connection waiting for its next request is left to the idle
 * timeout). On expiry the connection is answered {@code 408 Request Timeout}, when no earlier
 * response is still owed on it, and closed. Once a request's headers are complete this limit
 * no longer applies to it.</li>
 * <li>Request timeout after an early response: Reactor Netty stops timing a request body once
 * the application has answered, and then discards the rest of the body however slowly it
 * trickles in. The connection is closed if the rest of the body has not arrived within the
 * request timeout after that response.</li>
 * </ul>
 * A connection that switches protocols (WebSocket) leaves HTTP/1.1, and the handler removes
 * itself. One instance per connection, in two places: right after the HTTP codec, where it
 * sees decoded requests and the responses written, and right before the codec, where a small
 * companion sees the first raw byte of the next request.
 */
final class RequestTimeLimitHandler extends ChannelDuplexHandler {

	static final String NAME = "steady.requestTimeLimit";

	static final String FIRST_BYTE_NAME = "steady.requestFirstByte";

	private final long headerTimeoutNanos;

	private final long requestTimeoutNanos;

	private final FirstByteWatcher firstByteWatcher = new FirstByteWatcher();

	private @Nullable ChannelHandlerContext ctx;

	private @Nullable ScheduledFuture<?> deadline;

	private Phase phase = Phase.HEADERS;

	private int responsesOwed;

	private RequestTimeLimitHandler(Duration headerTimeout, Duration requestTimeout) {
		this.headerTimeoutNanos = headerTimeout.toNanos();
		this.requestTimeoutNanos = requestTimeout.toNanos();
	}

	/**
	 * Add the handler around the HTTP/1.1 codec of a new connection.
	 * @param pipeline the connection's pipeline, holding Reactor Netty's HTTP/1.1 codec
	 * @param headerTimeout the request header timeout
	 * @param requestTimeout the time limit of a whole request body
	 */
	static void install(ChannelPipeline pipeline, Duration headerTimeout, Duration requestTimeout) {
		RequestTimeLimitHandler handler = new RequestTimeLimitHandler(headerTimeout, requestTimeout);
		pipeline.addBefore(NettyPipeline.HttpCodec, FIRST_BYTE_NAME, handler.firstByteWatcher);
		pipeline.addAfter(NettyPipeline.HttpCodec, NAME, handler);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		startDeadline(this.headerTimeoutNanos);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelDeadline();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelDeadline();
		super.channelInactive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest) {
			cancelDeadline();
			this.phase = Phase.BODY;
			this.responsesOwed++;
		}
		if (msg instanceof LastHttpContent) {
			cancelDeadline();
			this.phase = Phase.BETWEEN_REQUESTS;
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		HttpResponseStatus status = (msg instanceof HttpResponse response) ? response.status() : null;
		boolean informational = status != null && status.codeClass() == HttpStatusClass.INFORMATIONAL;
		if (!informational && msg instanceof LastHttpContent) {
			this.responsesOwed--;
			if (this.phase == Phase.BODY && this.responsesOwed == 0) {
				startDeadline(this.requestTimeoutNanos);
			}
		}
		super.write(ctx, msg, promise);
		if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(status)) {
			ctx.pipeline().remove(this.firstByteWatcher);
			ctx.pipeline().remove(this);
		}
	}

	private void requestBytesArrived() {
		if (this.phase == Phase.BETWEEN_REQUESTS) {
			this.phase = Phase.HEADERS;
			startDeadline(this.headerTimeoutNanos);
		}
	}

	private void startDeadline(long delayNanos) {
		ChannelHandlerContext context = this.ctx;
		if (context != null && this.deadline == null) {
			this.deadline = context.executor().schedule(this::expire, delayNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void cancelDeadline() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

	private void expire() {
		this.deadline = null;
		ChannelHandlerContext context = this.ctx;
		if (context == null || !context.channel().isActive()) {
			return;
		}
		boolean answerable = this.phase == Phase.HEADERS && this.responsesOwed == 0;
		this.phase = Phase.EXPIRED;
		if (!answerable) {
			context.close();
			return;
		}
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.REQUEST_TIMEOUT);
		response.headers()
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	/** Where the connection stands in its current request. */
	private enum Phase {

		/** Request line and headers under way (the first request: from accept). */
		HEADERS,

		/** Headers complete, body under way. */
		BODY,

		/** Last request complete; waiting for the next one's first byte. */
		BETWEEN_REQUESTS,

		/** A time limit expired; the connection is closing and reads nothing more. */
		EXPIRED

	}

	/** Sees raw request bytes before the codec; drops them once a time limit expired. */
	private final class FirstByteWatcher extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (RequestTimeLimitHandler.this.phase == Phase.EXPIRED) {
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
