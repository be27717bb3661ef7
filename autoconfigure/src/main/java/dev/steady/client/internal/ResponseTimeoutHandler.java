package dev.steady.client.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClientRequest;

/**
 * A client's response timeout, one handler per HTTP/1.1 connection: the time allowed from a
 * request's head being sent until the first byte of its response, and between two reads (or,
 * while a large body is written, two signs of upload progress) until the response is
 * complete, so that a server that stops taking an upload fails the request too. Reactor
 * Netty's {@code HttpClient.responseTimeout} starts only once the body is sent; this one fails
 * the request with the same {@link ReadTimeoutException}, but where Reactor
 * Netty adds a handler to the pipeline, schedules a timer and removes and cancels both on
 * every request, this handler stays for the connection's life and only notes the time of
 * each request and read. Its single timer runs while a response is awaited, at most once
 * per timeout and then at the deadline it finds; no request cancels or reschedules it.
 * <p>
 * A request that carries a response timeout of Reactor Netty's own (set for one request
 * with {@code SteadyRequestOptions.responseTimeout}, or for the client by Spring Boot's
 * {@code read-timeout}) is left to it: that timeout, longer or shorter, wins.
 * <p>
 * Sits right after the HTTP codec, where it sees the last part of each request written and
 * the decoded response; every raw read, decoded or not, ends in a read-complete event it
 * sees too. A connection that switches protocols (WebSocket) leaves HTTP, and the handler
 * removes itself.
 */
final class ResponseTimeoutHandler extends ChannelDuplexHandler {

	static final String NAME = "steady.responseTimeout";

	private final long timeoutNanos;

	/** Whether a request was sent and its response is not complete yet. */
	private boolean awaiting;

	/** Whether the response being read is an interim one (1xx), which another follows. */
	private boolean interim;

	/** When the awaited request was sent, or the last read since. */
	private long lastActivityNanos;

	private @Nullable ScheduledFuture<?> timer;

	private ResponseTimeoutHandler(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	/**
	 * Add the handler to a new connection, after its HTTP/1.1 codec (plain or TLS, the codec
	 * is there from the start). A connection without one (HTTP/2) gets none: its client
	 * keeps Reactor Netty's per-request timeout.
	 * @param channel the connection
	 * @param timeout the client's response timeout
	 */
	static void addTo(Channel channel, Duration timeout) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new ResponseTimeoutHandler(timeout));
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		// the clock starts with the request's head: an upload the server stops taking counts too
		boolean requestWritten = msg instanceof HttpRequest || msg instanceof LastHttpContent;
		ctx.write(msg, promise);
		if (requestWritten) {
			this.awaiting = true;
			this.interim = false;
			this.lastActivityNanos = System.nanoTime();
			if (this.timer == null) {
				schedule(ctx, this.timeoutNanos);
			}
		}
	}

	/** A large body being written: the connection becoming writable again is progress. */
	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		if (this.awaiting) {
			this.lastActivityNanos = System.nanoTime();
		}
		super.channelWritabilityChanged(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.awaiting) {
			if (msg instanceof HttpResponse response) {
				HttpResponseStatus status = response.status();
				if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
					stop();
					ctx.pipeline().remove(this);
				}
				this.interim = status.codeClass() == HttpStatusClass.INFORMATIONAL;
			}
			if (msg instanceof LastHttpContent) {
				// the end of an interim response is not the end of the one awaited
				this.awaiting = this.interim;
				this.interim = false;
			}
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.awaiting) {
			this.lastActivityNanos = System.nanoTime();
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		stop();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		stop();
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	private void check(ChannelHandlerContext ctx) {
		this.timer = null;
		if (!this.awaiting || !ctx.channel().isActive() || ctx.isRemoved()) {
			// the next request starts the timer again
			return;
		}
		if (ctx.pipeline().get(NettyPipeline.ResponseTimeoutHandler) != null
				|| !(ChannelOperations.get(ctx.channel()) instanceof HttpClientRequest)) {
			// a response timeout of the request's own applies, or the connection is back in the pool
			return;
		}
		long left = this.lastActivityNanos + this.timeoutNanos - System.nanoTime();
		if (left > 0) {
			schedule(ctx, left);
			return;
		}
		this.awaiting = false;
		ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
		ctx.close();
	}

	private void stop() {
		this.awaiting = false;
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			this.timer = null;
			timer.cancel(false);
		}
	}

}
