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
 * Closes an HTTP/1.1 connection whose request line and headers are not complete in time:
 * counted from accept for a connection's first request, and from the first byte of the
 * request for every later one (a keep-alive connection waiting for its next request is left
 * to the idle timeout). Answers {@code 408 Request Timeout} first when no earlier response is
 * still owed on the connection. Once a request's headers are complete the limit no longer
 * applies to it: its body is governed by the read and request timeouts. A connection that
 * switches protocols (WebSocket) leaves HTTP/1.1, and the handler removes itself.
 * <p>
 * One instance per connection, in two places: right after the HTTP codec, where it sees
 * decoded requests and the responses written, and right before the codec, where a small
 * companion sees the first raw byte of the next request.
 */
final class RequestHeaderTimeoutHandler extends ChannelDuplexHandler {

	static final String NAME = "steady.requestHeaderTimeout";

	static final String FIRST_BYTE_NAME = "steady.requestFirstByte";

	private final long timeoutNanos;

	private final FirstByteWatcher firstByteWatcher = new FirstByteWatcher();

	private @Nullable ChannelHandlerContext ctx;

	private @Nullable ScheduledFuture<?> deadline;

	private boolean betweenRequests;

	private int responsesOwed;

	private boolean expired;

	private RequestHeaderTimeoutHandler(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	/**
	 * Add the handler around the HTTP/1.1 codec of a new connection.
	 * @param pipeline the connection's pipeline, holding Reactor Netty's HTTP/1.1 codec
	 * @param timeout the request header timeout
	 */
	static void install(ChannelPipeline pipeline, Duration timeout) {
		RequestHeaderTimeoutHandler handler = new RequestHeaderTimeoutHandler(timeout);
		pipeline.addBefore(NettyPipeline.HttpCodec, FIRST_BYTE_NAME, handler.firstByteWatcher);
		pipeline.addAfter(NettyPipeline.HttpCodec, NAME, handler);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		startDeadline();
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
			this.responsesOwed++;
		}
		if (msg instanceof LastHttpContent) {
			this.betweenRequests = true;
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		HttpResponseStatus status = (msg instanceof HttpResponse response) ? response.status() : null;
		boolean informational = status != null && status.codeClass() == HttpStatusClass.INFORMATIONAL;
		if (!informational && msg instanceof LastHttpContent) {
			this.responsesOwed--;
		}
		super.write(ctx, msg, promise);
		if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(status)) {
			ctx.pipeline().remove(this.firstByteWatcher);
			ctx.pipeline().remove(this);
		}
	}

	private void requestBytesArrived() {
		if (this.betweenRequests) {
			this.betweenRequests = false;
			startDeadline();
		}
	}

	private void startDeadline() {
		ChannelHandlerContext context = this.ctx;
		if (context != null && this.deadline == null) {
			this.deadline = context.executor().schedule(this::expire, this.timeoutNanos, TimeUnit.NANOSECONDS);
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
		this.expired = true;
		if (this.responsesOwed > 0) {
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

	/** Sees raw request bytes before the codec; drops them once the connection timed out. */
	private final class FirstByteWatcher extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (RequestHeaderTimeoutHandler.this.expired) {
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
