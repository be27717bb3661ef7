package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.steady.client.ClientSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * What a client knows of one HTTP/2 connection, watched between its frame codec and its
 * streams:
 * <ul>
 * <li>which streams' HEADERS the kernel took: a stream whose HEADERS write failed (the
 * connection was closed under it, a broken pipe) never reached the server;</li>
 * <li>which streams the server reset with {@code REFUSED_STREAM} (RFC 9113, section 8.7);</li>
 * <li>the GOAWAY the server sent, which says the streams above its last stream id were never
 * processed (section 6.8);</li>
 * <li>when it last read: a GOAWAY that ends a connection with no stream open is the server's
 * idle timeout, and teaches it to {@link LearnedIdleTimeouts} as an HTTP/1.1 server's FIN does;
 * one that ends a connection while streams are open, or refuses some, tells after how many
 * streams the server ended it ({@link Http2StreamLimits});</li>
 * <li>how many streams the connection has opened.</li>
 * </ul>
 */
final class Http2ConnectionWatch extends ChannelDuplexHandler {

	private static final String NAME = "steady.http2ConnectionWatch";

	// kept on the channel too: a closed channel's pipeline loses its handlers, and failures are judged after the close
	private static final AttributeKey<Http2ConnectionWatch> WATCH = AttributeKey.valueOf(NAME);

	// a server that refuses stream after stream on one connection is remembered up to this many
	private static final int MAX_REFUSED_REMEMBERED = 1024;

	private final Http2Connection http2;

	private final String client;

	private final LearnedIdleTimeouts learned;

	private final LongSupplier clock;

	// streams up to this one were open before the watch began: nothing is claimed of them
	private final int firstWatched;

	private volatile int highestWritten;

	// the first stream whose HEADERS the watch saw written, 0 before: the streams of the connection are counted from it
	private volatile int firstWritten;

	private final Set<Integer> refused = ConcurrentHashMap.newKeySet();

	// System.nanoTime() at the end of the last read
	private volatile long lastRead;

	private Http2ConnectionWatch(Http2Connection http2, String client, LearnedIdleTimeouts learned,
			LongSupplier clock) {
		this.http2 = http2;
		this.client = client;
		this.learned = learned;
		this.clock = clock;
		this.firstWatched = http2.local().lastStreamCreated() + 1;
		this.highestWritten = http2.local().lastStreamCreated();
		this.lastRead = clock.getAsLong();
	}

	/**
	 * Watch an HTTP/2 connection, and check its health by PING, once.
	 * @param connection the connection (the parent of its streams)
	 * @param client the client's name
	 * @param learned where an idle timeout it reveals is taught
	 * @param ping its PING health check
	 */
	static void watch(Channel connection, String client, LearnedIdleTimeouts learned, ClientSettings.Ping ping) {
		if (connection.hasAttr(WATCH)) {
			return;
		}
		ChannelHandlerContext codec = connection.pipeline().context(Http2FrameCodec.class);
		if (codec != null) {
			Http2Connection http2 = ((Http2FrameCodec) codec.handler()).connection();
			Http2ConnectionWatch watch = new Http2ConnectionWatch(http2, client, learned, System::nanoTime);
			if (connection.attr(WATCH).setIfAbsent(watch) == null) {
				connection.pipeline()
					.addAfter(codec.name(), NAME, watch)
					.addAfter(NAME, Http2PingHealth.NAME, new Http2PingHealth(http2, ping, watch::lastReadNanos));
			}
		}
	}

	/**
	 * The watch of a connection, if it has one.
	 * @param connection the connection
	 * @return its watch, or {@code null}
	 */
	static @Nullable Http2ConnectionWatch of(Channel connection) {
		return connection.attr(WATCH).get();
	}

	/**
	 * Whether the server is proven never to have processed a stream: its HEADERS never left,
	 * the server refused it, or its id is above the last stream id of the server's GOAWAY.
	 * @param id the stream's id, {@code 0} or less when it never got one
	 * @return {@code true} only when that is proven
	 */
	boolean neverProcessed(int id) {
		if (id <= 0) {
			return true;
		}
		if (id < this.firstWatched) {
			return false;
		}
		return id > this.highestWritten || this.refused.contains(id)
				|| (this.http2.goAwayReceived() && id > this.http2.local().lastStreamKnownByPeer());
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof Http2HeadersFrame headers && !promise.isVoid()) {
			Http2FrameStream stream = headers.stream();
			promise.addListener((future) -> {
				if (future.isSuccess() && stream != null) {
					written(stream.id());
				}
			});
		}
		ctx.write(msg, promise);
	}

	private void written(int id) {
		if (this.firstWritten == 0) {
			this.firstWritten = id;
		}
		if (id > this.highestWritten) {
			this.highestWritten = id;
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()
				&& reset.stream() != null && this.refused.size() < MAX_REFUSED_REMEMBERED) {
			this.refused.add(reset.stream().id());
		}
		else if (msg instanceof Http2GoAwayFrame goAway && goAway.errorCode() == Http2Error.NO_ERROR.code()) {
			int lastStreamId = goAway.lastStreamId();
			boolean busy = serverBusy(lastStreamId);
			if (busy || this.http2.local().lastStreamCreated() > lastStreamId) {
				endedAfterStreams(ctx.channel(), lastStreamId);
			}
			if (!busy) {
				closedWhileIdle(ctx.channel());
			}
		}
		ctx.fireChannelRead(msg);
	}

	/**
	 * Whether the server had a stream to process when it sent its GOAWAY: one open at or
	 * below its last stream id. Streams above it, which the codec closes only after this
	 * frame is read, raced the close and were never processed.
	 */
	private boolean serverBusy(int lastStreamId) {
		try {
			// the visit stops at, and returns, the first stream the server was processing
			return this.http2.forEachActiveStream((stream) -> stream.id() > lastStreamId) != null;
		}
		catch (Http2Exception ex) {
			return true;
		}
	}

	/** A GOAWAY while the server had no stream to process: the server's idle timeout, counted from the last read before it. */
	private void closedWhileIdle(Channel channel) {
		SocketAddress remote = channel.remoteAddress();
		long idle = TimeUnit.NANOSECONDS.toMillis(this.clock.getAsLong() - this.lastRead);
		if (remote != null && idle >= LearnedIdleTimeouts.MIN_IDLE_CLOSE_MILLIS) {
			this.learned.closedWhileIdle(this.client, remote, idle, idle);
		}
	}

	/**
	 * A GOAWAY while the server was processing streams, or that refused some: the connection
	 * ended after as many streams as the server processed, which may be its limit per
	 * connection.
	 */
	private void endedAfterStreams(Channel channel, int lastStreamId) {
		SocketAddress remote = channel.remoteAddress();
		if (remote != null) {
			this.learned.http2StreamLimits().endedAfter(remote, streamsUpTo(lastStreamId));
		}
	}

	/**
	 * Whether the connection has a stream open.
	 * @return {@code true} while one is
	 */
	boolean hasOpenStreams() {
		return this.http2.numActiveStreams() > 0;
	}

	/**
	 * How many streams the connection has opened, those being opened included.
	 * @return the count
	 */
	int streamsOpened() {
		return streamsUpTo(this.http2.local().lastStreamCreated());
	}

	/**
	 * How many streams the connection opened up to a stream id: a client's stream ids grow by
	 * two, counted from the first stream the watch saw written.
	 */
	private int streamsUpTo(int streamId) {
		int first = this.firstWritten;
		return (first == 0 || streamId < first) ? 0 : (streamId - first) / 2 + 1;
	}

	/**
	 * When the connection last read from its server.
	 * @return {@link System#nanoTime()} at the end of that read, or of the watch's start
	 */
	long lastReadNanos() {
		return this.lastRead;
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.lastRead = this.clock.getAsLong();
		ctx.fireChannelReadComplete();
	}

}
