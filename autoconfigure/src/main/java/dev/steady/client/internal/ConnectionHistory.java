package dev.steady.client.internal;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * What the pool knows of one connection's recent past, kept in one object on its channel so
 * that every check of a request reads one channel attribute: when it last read from its
 * server, when its last use began, when it was last released to the pool, since when it had
 * been idle when taken for its current request, and the idle timeout its server announced in
 * a {@code Keep-Alive} header.
 * <p>
 * It is also the channel's first handler: it stamps every read, and notices when the server
 * closes the connection while it sits idle in the pool (a FIN or a reset this side did not ask
 * for). Every close this side asks for, from any handler or from the pool, passes through it
 * first.
 */
final class ConnectionHistory extends ChannelDuplexHandler {

	/** No such time yet. */
	static final long NEVER = -1;

	private static final AttributeKey<ConnectionHistory> KEY = AttributeKey.valueOf("steady.connectionHistory");

	private static final String HANDLER_NAME = "steady.connectionHistory";

	private final @Nullable SocketAddress remote;

	private final @Nullable IdleCloseListener listener;

	private volatile long lastRead = NEVER;

	private volatile long lastRelease = NEVER;

	// when the connection was made, then when it was last taken from the pool
	private volatile long lastUseStart = System.currentTimeMillis();

	private volatile long idleSince = NEVER;

	private volatile long idleWhenTaken = NEVER;

	private volatile long keepAliveHintMillis = NEVER;

	private volatile boolean idleInPool;

	private volatile @Nullable ProvenIdle provenIdle;

	// only on the channel's event loop
	private boolean closedByThisSide;

	private volatile boolean survivalProbe;

	private ConnectionHistory(@Nullable SocketAddress remote, @Nullable IdleCloseListener listener) {
		this.remote = remote;
		this.listener = listener;
	}

	/**
	 * Start keeping the history of a connected channel, once, ahead of every other handler.
	 * @param channel the channel
	 * @param listener told when the server closes the connection while idle, or {@code null}
	 * @return the channel's history
	 */
	static ConnectionHistory keep(Channel channel, @Nullable IdleCloseListener listener) {
		ConnectionHistory history = channel.attr(KEY).get();
		if (history == null) {
			history = new ConnectionHistory(channel.remoteAddress(), listener);
			channel.attr(KEY).set(history);
			channel.pipeline().addFirst(HANDLER_NAME, history);
		}
		return history;
	}

	/**
	 * The history of a channel.
	 * @param channel the channel
	 * @return its history, or {@code null} if nobody keeps one
	 */
	static @Nullable ConnectionHistory of(Channel channel) {
		return channel.attr(KEY).get();
	}

	/**
	 * When the connection last read from its server.
	 * @return epoch millis, or {@link #NEVER}
	 */
	long lastRead() {
		return this.lastRead;
	}

	void readAt(long millis) {
		this.lastRead = millis;
	}

	/**
	 * The connection was released to the pool.
	 * @param millis now, epoch millis
	 */
	void released(long millis) {
		this.lastRelease = millis;
		this.idleInPool = true;
	}

	/**
	 * When the connection was last released to the pool.
	 * @return epoch millis, or {@link #NEVER} if it never served a request
	 */
	long lastRelease() {
		return this.lastRelease;
	}

	/**
	 * The connection was taken from the pool for a request: if it had served one before,
	 * note since when it had been idle, and how long.
	 * @param millis now, epoch millis
	 */
	void acquired(long millis) {
		this.lastUseStart = millis;
		this.idleInPool = false;
		long since = (this.lastRelease == NEVER) ? NEVER : ((this.lastRead != NEVER) ? this.lastRead : this.lastRelease);
		this.idleSince = since;
		this.idleWhenTaken = (since != NEVER) ? millis - since : NEVER;
	}

	/**
	 * When the connection's last use began: when it was last taken from the pool, or made.
	 * Its last request was written no earlier, so its server answered no earlier: the
	 * connection has been idle, as its server sees it, at most since then.
	 * @return epoch millis
	 */
	long lastUseStart() {
		return this.lastUseStart;
	}

	/**
	 * Since when the connection had been idle before its current request.
	 * @return epoch millis, or {@link #NEVER} if it is a fresh connection
	 */
	long idleSinceBeforeThisUse() {
		return this.idleSince;
	}

	/**
	 * How long the connection had been idle when taken for its current request, once: the
	 * first caller proves it safe.
	 * @return milliseconds, or {@link #NEVER} if fresh or already taken
	 */
	long takeIdleWhenTaken() {
		long idle = this.idleWhenTaken;
		this.idleWhenTaken = NEVER;
		return idle;
	}

	/**
	 * The idle timeout the server announced.
	 * @return milliseconds, or {@link #NEVER} if none
	 */
	long keepAliveHintMillis() {
		return this.keepAliveHintMillis;
	}

	void keepAliveHint(long millis) {
		this.keepAliveHintMillis = millis;
	}

	/**
	 * The proofs of the connection's host, looked up once per connection.
	 * @return the record, or {@code null} if not looked up yet
	 */
	@Nullable ProvenIdle provenIdle() {
		return this.provenIdle;
	}

	void provenIdle(ProvenIdle proven) {
		this.provenIdle = proven;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.lastRead = System.currentTimeMillis();
		ctx.fireChannelRead(msg);
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
		this.closedByThisSide = true;
		super.close(ctx, promise);
	}

	/**
	 * The connection is kept as its host's {@link SurvivalProbe}: it carries no request, so
	 * its close and its errors concern nothing past this handler.
	 */
	void keptAsSurvivalProbe() {
		this.survivalProbe = true;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
		if (this.survivalProbe) {
			ctx.close();
			return;
		}
		super.exceptionCaught(ctx, cause);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		IdleCloseListener closeListener = this.listener;
		if (closeListener != null && !this.closedByThisSide && this.idleInPool && this.lastRead != NEVER
				&& this.remote != null) {
			long now = System.currentTimeMillis();
			closeListener.closedWhileIdle(this.remote, now - this.lastRead,
					now - Math.min(this.lastUseStart, this.lastRead));
		}
		if (!this.survivalProbe) {
			super.channelInactive(ctx);
		}
	}

	/** Told when a server closes a pooled connection while it sits idle. */
	@FunctionalInterface
	interface IdleCloseListener {

		/**
		 * The server closed an idle connection. As the server saw it, the connection had been
		 * idle at least since its last read and at most since its last use began (a read
		 * that came late, on a busy event loop, makes the first shorter than it was).
		 * @param remote the server's address
		 * @param idleMillis how long the connection had been idle since its last read
		 * @param mostIdleMillis how long it had been idle at most: since its last use began
		 */
		void closedWhileIdle(SocketAddress remote, long idleMillis, long mostIdleMillis);

	}

}
