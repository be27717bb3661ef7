package dev.steady.client.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.steady.client.ClientSettings;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The PING health check of one HTTP/2 connection. When a connection with streams open has
 * read nothing for the ping-interval (its {@link Http2ConnectionWatch} tells when it last
 * read), it is sent a PING; anything read from the peer answers it. A PING unanswered for the
 * ping-ack-timeout is dropped, and another is sent, until ping-ack-drop-threshold were dropped
 * in a row: then the connection is closed, with a warning that says why, and the streams on it
 * fail, so that new streams go to another. Idle connections are not pinged: a PING would
 * reset the server's idle timer.
 */
final class Http2PingHealth extends ChannelHandlerAdapter {

	static final String NAME = "steady.http2PingHealth";

	private static final Log logger = LogFactory.getLog(Http2PingHealth.class);

	private final Http2Connection http2;

	private final long intervalNanos;

	private final long ackTimeoutNanos;

	private final int dropThreshold;

	// the connection's last read, as its watch saw it
	private final LongSupplier lastRead;

	// when the PING awaiting its answer was sent, or 0 for none
	private long pingSent;

	private int dropped;

	private @Nullable ScheduledFuture<?> check;

	Http2PingHealth(Http2Connection http2, ClientSettings.Ping ping, LongSupplier lastReadNanos) {
		this.http2 = http2;
		this.lastRead = lastReadNanos;
		this.intervalNanos = ping.interval().toNanos();
		this.ackTimeoutNanos = ping.ackTimeout().toNanos();
		this.dropThreshold = ping.dropThreshold();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		schedule(ctx, this.intervalNanos);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		if (this.check != null) {
			this.check.cancel(false);
		}
	}

	private void schedule(ChannelHandlerContext ctx, long delayNanos) {
		this.check = ctx.executor().schedule(() -> check(ctx), Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
	}

	private void check(ChannelHandlerContext ctx) {
		if (!ctx.channel().isActive()) {
			return;
		}
		long now = System.nanoTime();
		long lastRead = this.lastRead.getAsLong();
		if (this.pingSent != 0 && lastRead > this.pingSent) {
			// anything read since answers the PING
			this.pingSent = 0;
			this.dropped = 0;
		}
		if (this.pingSent != 0) {
			long waited = now - this.pingSent;
			if (waited < this.ackTimeoutNanos) {
				schedule(ctx, this.ackTimeoutNanos - waited);
				return;
			}
			this.dropped++;
			if (this.dropped >= this.dropThreshold) {
				close(ctx);
				return;
			}
			ping(ctx, now);
			return;
		}
		long quiet = now - lastRead;
		if (this.http2.numActiveStreams() > 0 && quiet >= this.intervalNanos) {
			ping(ctx, now);
			return;
		}
		schedule(ctx, (quiet < this.intervalNanos) ? this.intervalNanos - quiet : this.intervalNanos);
	}

	private void ping(ChannelHandlerContext ctx, long now) {
		this.pingSent = now;
		ctx.writeAndFlush(new DefaultHttp2PingFrame(now));
		schedule(ctx, this.ackTimeoutNanos);
	}

	/**
	 * Close, saying why: the streams open on it fail as on any connection closed before their
	 * response (Reactor Netty's {@code PrematureCloseException}), and the server may have
	 * received them.
	 */
	private void close(ChannelHandlerContext ctx) {
		logger.warn("Steady: closing the HTTP/2 connection to " + ctx.channel().remoteAddress()
				+ ": its peer answered none of " + this.dropped + " PINGs in a row within "
				+ TimeUnit.NANOSECONDS.toMillis(this.ackTimeoutNanos) + " ms each (steady.client-defaults.http2."
				+ "ping-ack-timeout and ping-ack-drop-threshold); the " + this.http2.numActiveStreams()
				+ " streams open on it fail");
		ctx.close();
	}

}
