package dev.steady.client.internal;

import dev.steady.client.ClientSettings;

import java.net.SocketAddress;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * The one rule that decides which pooled connections to close, on acquire, on release and
 * in background eviction:
 * <ul>
 * <li>closed or non-persistent connections (Reactor Netty's own rule);</li>
 * <li>connections idle for their idle limit or longer: max-idle-time, or the server's own
 * Keep-Alive hint less a margin, lowered to what was learned of the host (for
 * forget-learned-after);</li>
 * <li>connections that served max-requests-per-connection requests;</li>
 * <li>{@link StaleConnectionSuspects}.</li>
 * </ul>
 * And the last-moment rule of requests that must not be sent twice ({@link ProvenIdleGate}):
 * a reused connection idle for longer than its host has proven safe ({@link LearnedIdleTimeouts})
 * times the learn-factor, or than unproven-reuse-max-idle when that is longer, is not for them,
 * unless its server announced a longer idle timeout in a {@code Keep-Alive} header (less the
 * margin). Each such connection is counted as a fresh connection taken for safety, and kept as
 * its host's {@link SurvivalProbe} or closed. A reuse, an idle close and a hint prove an idle
 * time; so does a pooled connection seen open after it, which every check of an idle connection
 * notes, unless the client is strict ({@code reuse-proven-idle-only}) or the host is (a reused
 * connection died stale on it). Requests whose stale failures are retried reuse any connection
 * within its idle limit, and prove its idle time.
 * <p>
 * Life time and its variance stay with the pool's own {@code maxLifeTime}.
 */
final class ConnectionEvictionPolicy implements BiPredicate<Connection, ConnectionMetadata> {

	private static final double HTTP2_SHARE_OF_LEARNED = 0.5;

	private final String client;

	private final StaleConnectionSuspects suspects;

	// this client's suspect marks and lessons per host, looked up once: the predicate runs on every acquire and release
	private final Map<SocketAddress, Long> suspectMarks;

	private final Map<SocketAddress, LearnedIdleTimeouts.Lesson> lessons;

	private final LearnedIdleTimeouts learned;

	// the pool's settings in milliseconds, read once: the predicate runs on every acquire and release
	private final long maxIdleMillis;

	private final boolean honorKeepAliveHints;

	private final long maxKeepAliveHintMillis;

	private final long keepAliveHintMarginMillis;

	private final boolean learnIdleTimeout;

	private final double learnFactor;

	private final long minLearnedIdleMillis;

	private final long forgetLearnedAfterMillis;

	private final int maxRequestsPerConnection;

	private final int maxConnections;

	// whether only reuses, closes and hints prove idle times, not connections seen open
	private final boolean strict;

	private final long unprovenReuseMaxIdleMillis;

	private final LongSupplier clock;

	private final ToLongFunction<Channel> dataArrival;

	/**
	 * Create the policy of one pool.
	 * @param client the client's name
	 * @param pool the pool's settings
	 * @param suspects connections to evict because a reused one to the same host died stale
	 * @param learned what was learned and proven of each host's idle timeout
	 * @param strict whether only reuses, idle closes and hints prove idle times, not
	 * connections seen open after them ({@code reuse-proven-idle-only})
	 * @param clock current time in epoch milliseconds
	 * @param dataArrival milliseconds since a channel last received data as its kernel
	 * counts them, or {@link KernelTcpState#UNKNOWN}
	 */
	ConnectionEvictionPolicy(String client, ClientSettings.Pool pool, StaleConnectionSuspects suspects,
			LearnedIdleTimeouts learned, boolean strict, LongSupplier clock,
			ToLongFunction<Channel> dataArrival) {
		this.client = client;
		this.suspects = suspects;
		this.learned = learned;
		this.suspectMarks = suspects.of(client);
		this.lessons = learned.lessonsOf(client);
		this.maxIdleMillis = pool.maxIdleTime().toMillis();
		this.honorKeepAliveHints = pool.honorKeepAliveHints();
		this.maxKeepAliveHintMillis = pool.maxKeepAliveHint().toMillis();
		this.keepAliveHintMarginMillis = pool.keepAliveHintMargin().toMillis();
		this.learnIdleTimeout = pool.learnIdleTimeout();
		this.learnFactor = pool.learnFactor();
		this.minLearnedIdleMillis = pool.minLearnedIdleTime().toMillis();
		this.forgetLearnedAfterMillis = pool.forgetLearnedAfter().toMillis();
		this.maxRequestsPerConnection = pool.maxRequestsPerConnection();
		this.maxConnections = pool.maxConnections();
		this.strict = strict;
		this.unprovenReuseMaxIdleMillis = pool.unprovenReuseMaxIdle().toMillis();
		this.clock = clock;
		this.dataArrival = dataArrival;
	}

	@Override
	public boolean test(Connection connection, ConnectionMetadata metadata) {
		if (!connection.channel().isActive() || !connection.isPersistent()) {
			return true;
		}
		if (this.maxRequestsPerConnection > 0 && metadata.acquireCount() >= this.maxRequestsPerConnection) {
			return true;
		}
		Channel channel = connection.channel();
		SocketAddress remote = channel.remoteAddress();
		ConnectionHistory history = ConnectionHistory.of(channel);
		long idle = idleMillis(history, metadata);
		if (!this.strict && history != null && remote != null && idle > this.unprovenReuseMaxIdleMillis) {
			survived(history, channel, remote);
		}
		if (idle >= idleLimitMillis(history, remote)) {
			return true;
		}
		if (remote == null) {
			return false;
		}
		// a connection released no later than a reused one to its host died is a suspect
		Long suspectMark = this.suspectMarks.get(remote);
		return suspectMark != null && metadata.releaseTimestamp() <= suspectMark;
	}

	/**
	 * Note that a pooled connection is still open, in the kernel, after having been idle
	 * since its last read: its host keeps idle connections at least that long.
	 */
	private void survived(ConnectionHistory history, Channel channel, SocketAddress remote) {
		ProvenIdle host = history.provenIdle();
		if (host == null) {
			host = this.learned.provenIdle(this.client, remote);
			history.provenIdle(host);
		}
		long sinceRead = this.clock.getAsLong() - history.lastRead();
		if (sinceRead > host.survivedIdleMillis() && KernelTcpState.openBothWays(channel)) {
			host.survived(sinceRead);
		}
	}

	/**
	 * Why a connection just taken from the pool for a request that must not be sent twice,
	 * on its event loop right before the request is written, must not carry it: it has been
	 * idle for longer than its host proved safe, or than its server announced it keeps idle
	 * connections, whichever is longer. Such a connection is counted as a fresh connection
	 * taken for safety.
	 * <p>
	 * Its idle time is what its server saw: at least the time since its last read, at most
	 * the time since its last use began (the server answered after that). When the two fall
	 * on either side of the limit, the last read may have come late, on an event loop kept
	 * off the CPU, and the kernel's time since the data arrived decides, against
	 * {@link #serverSideLimitMillis}; where the transport cannot tell, the last read does.
	 * A connection its peer has closed in the kernel, which a late event loop has not noticed,
	 * is refused whatever its idle time. Before refusing, unless strict, the host's
	 * {@link SurvivalProbe} is asked how long the host has kept a connection open by now.
	 * @param connection the connection
	 * @return why it must not carry the request, or {@link Refusal#NONE}
	 */
	Refusal refuseOnAcquire(Connection connection) {
		Channel channel = connection.channel();
		ConnectionHistory history = ConnectionHistory.of(channel);
		long lastRead = (history != null) ? history.lastRead() : ConnectionHistory.NEVER;
		if (history == null || lastRead == ConnectionHistory.NEVER) {
			return Refusal.NONE;
		}
		long now = this.clock.getAsLong();
		long mostIdle = now - Math.min(history.lastUseStart(), lastRead);
		SocketAddress remote;
		if (mostIdle <= this.unprovenReuseMaxIdleMillis || (remote = channel.remoteAddress()) == null) {
			return Refusal.NONE;
		}
		if (!KernelTcpState.openBothWays(channel)) {
			// its peer closed it, and its event loop, kept off the CPU, has not read that yet
			this.learned.freshConnectionTaken(this.client, remote);
			return Refusal.CLOSED_BY_PEER;
		}
		Refusal refusal = refusal(history, channel, remote, now, mostIdle);
		if (refusal != Refusal.NONE && !this.strict) {
			ProvenIdle host = this.learned.provenIdle(this.client, remote);
			long provenBefore = this.learned.provenSafeIdleMillis(remote, true);
			SurvivalProbe.observe(host, now);
			if (this.learned.provenSafeIdleMillis(remote, true) > provenBefore) {
				refusal = refusal(history, channel, remote, now, mostIdle);
			}
		}
		if (refusal != Refusal.NONE) {
			this.learned.freshConnectionTaken(this.client, remote);
		}
		return refusal;
	}

	private Refusal refusal(ConnectionHistory history, Channel channel, SocketAddress remote, long now,
			long mostIdle) {
		long provenLimit = provenIdleLimitMillis(remote);
		if (!reusable(history, remote, provenLimit, now - history.lastRead())) {
			return Refusal.TOO_IDLE;
		}
		if (reusable(history, remote, provenLimit, mostIdle)) {
			return Refusal.NONE;
		}
		long sinceArrival = this.dataArrival.applyAsLong(channel);
		if (sinceArrival == KernelTcpState.UNKNOWN
				|| reusable(history, remote, serverSideLimitMillis(remote), sinceArrival)) {
			return Refusal.NONE;
		}
		return Refusal.READ_LATE;
	}

	/**
	 * Most connections one acquire may refuse before it fails. Every refused connection leaves
	 * the pool's idle connections, closed or kept as its host's probe, so an acquire meets at
	 * most as many as the pool holds before the pool opens a fresh one, which is never refused:
	 * after a pause, a pool of idle connections whose reads came late (an event loop kept off
	 * the CPU) may refuse many in a row.
	 * @return the pool's most connections
	 */
	int maxRefusalsPerAcquire() {
		return this.maxConnections;
	}

	/**
	 * Put a connection refused by a request that must not be sent twice aside: kept as its
	 * host's survival probe when the host has none (unless strict, or closed by its peer),
	 * closed otherwise. When it was too idle since its last read, or closed by its peer, every
	 * connection then idle to the host is as idle and becomes a suspect, evicted on its next
	 * check; not when only a late read refused it.
	 * @param connection the refused connection
	 * @param refusal why it was refused
	 */
	void setAside(Connection connection, Refusal refusal) {
		Channel channel = connection.channel();
		SocketAddress remote = channel.remoteAddress();
		ConnectionHistory history = ConnectionHistory.of(channel);
		boolean kept = false;
		if (remote != null && history != null) {
			if (refusal != Refusal.READ_LATE) {
				this.suspects.staleConnectionFailed(this.client, remote);
			}
			kept = !this.strict && refusal != Refusal.CLOSED_BY_PEER && SurvivalProbe.keep(channel, this.learned.provenIdle(this.client, remote),
					probeLifeMillis(history, remote) - (this.clock.getAsLong() - history.lastRead()));
		}
		if (!kept) {
			channel.close();
		}
	}

	/**
	 * How long a survival probe stays idle before it is closed: until its idle time, times the
	 * learn-factor, reaches the connection's idle limit, so that it proves every idle time the
	 * pool keeps.
	 */
	private long probeLifeMillis(ConnectionHistory history, SocketAddress remote) {
		return (long) (idleLimitMillis(history, remote) / this.learnFactor);
	}

	/**
	 * The longest idle time, as the server saw it, at which a request that must not be sent
	 * twice reuses a connection: what its host proved (a proof's idle time was at least as long
	 * on the server's side), or twice the unproven floor, the shortest idle timeout the floor
	 * is kept well below. A response read late may use up the floor's margin, no more.
	 */
	private long serverSideLimitMillis(SocketAddress remote) {
		return Math.max(2 * this.unprovenReuseMaxIdleMillis, this.learned.provenSafeIdleMillis(remote, !this.strict));
	}

	/**
	 * Whether a connection idle for this long may carry a request that must not be sent
	 * twice: within what its host proved (or the unproven floor), or what its server announced.
	 */
	private boolean reusable(ConnectionHistory history, SocketAddress remote, long provenLimit, long idle) {
		return idle <= provenLimit || withinAnnouncedIdleTimeout(history, remote, idle);
	}

	/**
	 * Whether the connection's server announced, in a {@code Keep-Alive} header, that it keeps
	 * idle connections for longer than this (less the margin, and no longer than learned):
	 * a promise of the server is as good as a proof.
	 */
	private boolean withinAnnouncedIdleTimeout(ConnectionHistory history, SocketAddress remote, long idle) {
		return this.honorKeepAliveHints && history.keepAliveHintMillis() != ConnectionHistory.NEVER
				&& idle < idleLimitMillis(history, remote);
	}

	/**
	 * How long an idle connection has been idle as its server sees it: since its last read,
	 * which comes before its release to the pool.
	 */
	private long idleMillis(@Nullable ConnectionHistory history, ConnectionMetadata metadata) {
		long lastRead = (history != null) ? history.lastRead() : ConnectionHistory.NEVER;
		return (lastRead != ConnectionHistory.NEVER) ? Math.max(metadata.idleTime(), this.clock.getAsLong() - lastRead)
				: metadata.idleTime();
	}

	/**
	 * The longest idle time at which a request that must not be sent twice reuses a
	 * connection to a host: what the host proved safe, less a share for a request that
	 * reaches it later than the one that proved it, but no less than the unproven floor.
	 * @param remote the host's address
	 * @return milliseconds
	 */
	long provenIdleLimitMillis(SocketAddress remote) {
		long proven = this.learned.provenSafeIdleMillis(remote, !this.strict);
		return Math.max(this.unprovenReuseMaxIdleMillis, (long) (proven * this.learnFactor));
	}

	/**
	 * The idle limit of one connection: max-idle-time, or its server's Keep-Alive hint less
	 * the margin, lowered to what was learned of its host, unless that has lasted
	 * forget-learned-after.
	 * @param history the connection's history, if kept
	 * @param remote its remote address, if connected
	 * @return how long it may stay idle, in milliseconds
	 */
	long idleLimitMillis(@Nullable ConnectionHistory history, @Nullable SocketAddress remote) {
		return idleLimitMillis(history, remote, this.learnFactor);
	}

	/**
	 * The most streams an HTTP/2 connection to a host may open: the number after which the
	 * host was seen to end its connections ({@link Http2StreamLimits}).
	 * @param remote the host's address
	 * @return the limit, or {@link Integer#MAX_VALUE} when none is known
	 */
	int http2StreamLimit(@Nullable SocketAddress remote) {
		return (remote != null) ? this.learned.http2StreamLimits().limitOf(remote) : Integer.MAX_VALUE;
	}

	/**
	 * The idle limit of an HTTP/2 connection: max-idle-time, lowered to half of what was
	 * learned of its host rather than the learn-factor of it. A server's idle timer may fire
	 * well before its timeout (nginx's, not moved for activity within 300 ms, closes a
	 * connection of {@code keepalive_timeout 1s} after 0.7 to 1 s), the first closes seen need
	 * not be the earliest, and a close takes every stream a connection carries; retiring one
	 * early costs one new connection.
	 * @param remote its remote address, if connected
	 * @return how long it may stay without a stream, in milliseconds
	 */
	long http2IdleLimitMillis(@Nullable SocketAddress remote) {
		return idleLimitMillis(null, remote, HTTP2_SHARE_OF_LEARNED);
	}

	private long idleLimitMillis(@Nullable ConnectionHistory history, @Nullable SocketAddress remote,
			double shareOfLearned) {
		long limit = this.maxIdleMillis;
		long hint = (this.honorKeepAliveHints && history != null) ? history.keepAliveHintMillis()
				: ConnectionHistory.NEVER;
		if (hint != ConnectionHistory.NEVER) {
			limit = Math.max(0, Math.min(hint, this.maxKeepAliveHintMillis) - this.keepAliveHintMarginMillis);
		}
		LearnedIdleTimeouts.Lesson lesson = (this.learnIdleTimeout && remote != null) ? this.lessons.get(remote) : null;
		if (lesson != null && !forgotten(remote, lesson)) {
			long learnedLimit = Math.max(this.minLearnedIdleMillis, (long) (lesson.idleMillis() * shareOfLearned));
			limit = Math.min(limit, learnedLimit);
		}
		return limit;
	}

	/** Whether a lesson has lasted forget-learned-after, and is forgotten now. */
	private boolean forgotten(SocketAddress remote, LearnedIdleTimeouts.Lesson lesson) {
		if (this.clock.getAsLong() - lesson.learnedAt() < this.forgetLearnedAfterMillis) {
			return false;
		}
		this.learned.forget(this.client, remote, lesson);
		return true;
	}

	/** Why a connection must not carry a request that must not be sent twice. */
	enum Refusal {

		/** It may carry it. */
		NONE,

		/** It has been idle since its last read for longer than its host proved safe. */
		TOO_IDLE,

		/**
		 * Its last read came late: the kernel received the response longer ago than the host
		 * proved safe, though the event loop read it recently.
		 */
		READ_LATE,

		/** Its peer has closed it: the kernel has its FIN or reset, which the event loop has not read yet. */
		CLOSED_BY_PEER

	}

}
