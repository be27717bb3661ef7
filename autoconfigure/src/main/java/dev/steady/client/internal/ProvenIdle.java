package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * What one host proved to one client of how long it keeps idle connections, and by what: the
 * longest idle time after which a reused connection still served a request or the host closed
 * a pooled connection, the longest idle time a pooled connection was seen still open, and the
 * idle timeout the host announced in a {@code Keep-Alive} header. Also how many fresh
 * connections requests that must not be sent twice took instead of reusing one idle for
 * longer than that, how many pooled connections the host closed while they sat idle, whether
 * the host is strict (a reused connection died stale on it, so a connection seen open proves
 * nothing there), and the host's survival probe, if one is kept.
 */
public final class ProvenIdle {

	/** What proves a host's idle limit. */
	public enum Evidence {

		/** Nothing yet: only the unproven floor applies. */
		NONE,

		/** A reused connection served a request after having been idle that long. */
		REUSE,

		/** A pooled connection was still open, in the kernel, after having been idle that long. */
		SURVIVAL,

		/** The host closed a pooled connection after it had been idle that long. */
		CLOSE,

		/** The host announced its idle timeout in a {@code Keep-Alive} header. */
		HINT

	}

	private final SocketAddress remote;

	private final AtomicLong safeIdleMillis = new AtomicLong();

	private volatile Evidence safeIdleEvidence = Evidence.NONE;

	private final AtomicLong survivedIdleMillis = new AtomicLong();

	private volatile long announcedIdleMillis;

	private volatile boolean strict;

	private final AtomicLong freshConnections = new AtomicLong();

	private final AtomicLong idleCloses = new AtomicLong();

	private final AtomicReference<@Nullable Channel> probe = new AtomicReference<>();

	ProvenIdle(SocketAddress remote) {
		this.remote = remote;
	}

	/**
	 * The host's address.
	 * @return the address
	 */
	public SocketAddress remote() {
		return this.remote;
	}

	/**
	 * Longest idle time proven safe by a reuse or a close.
	 * @return milliseconds, 0 when none is proven
	 */
	public long safeIdleMillis() {
		return this.safeIdleMillis.get();
	}

	/**
	 * Longest idle time after which a pooled connection was seen still open, since the last
	 * close or stale failure that contradicted it.
	 * @return milliseconds, 0 when none was seen
	 */
	public long survivedIdleMillis() {
		return this.survivedIdleMillis.get();
	}

	/**
	 * Idle timeout the host last announced in a {@code Keep-Alive} header.
	 * @return milliseconds, 0 when none was announced
	 */
	public long announcedIdleMillis() {
		return this.announcedIdleMillis;
	}

	/**
	 * Whether a reused connection died stale on this host: a connection seen open proves
	 * nothing there any more, since the host may forget connections without closing them.
	 * @return whether the host is strict
	 */
	public boolean strict() {
		return this.strict;
	}

	/**
	 * Fresh connections taken for safety so far.
	 * @return the count
	 */
	public long freshConnections() {
		return this.freshConnections.get();
	}

	/**
	 * Pooled connections the host closed while they sat idle, so far, whatever they taught.
	 * @return the count
	 */
	public long idleCloses() {
		return this.idleCloses.get();
	}

	/**
	 * The longest idle time this host proved to this client, and what proves it.
	 * @param countSurvival whether a connection seen open counts (not in strict mode)
	 * @return milliseconds, 0 when nothing is proven
	 */
	long provenMillis(boolean countSurvival) {
		long proven = this.safeIdleMillis.get();
		return (countSurvival && !this.strict) ? Math.max(proven, this.survivedIdleMillis.get()) : proven;
	}

	/**
	 * What proves this host's idle limit today: the evidence of the longest proof, a hint
	 * when the host announced one and hints are honoured.
	 * @param countSurvival whether a connection seen open counts (not in strict mode)
	 * @param countHints whether Keep-Alive hints are honoured
	 * @return the evidence
	 */
	public Evidence evidence(boolean countSurvival, boolean countHints) {
		if (countHints && this.announcedIdleMillis > 0) {
			return Evidence.HINT;
		}
		long proven = this.safeIdleMillis.get();
		if (countSurvival && !this.strict && this.survivedIdleMillis.get() > proven) {
			return Evidence.SURVIVAL;
		}
		return (proven > 0) ? this.safeIdleEvidence : Evidence.NONE;
	}

	/**
	 * A reused connection served a request after having been idle this long.
	 * @param idleMillis its idle time
	 */
	void provedSafe(long idleMillis) {
		provedSafe(idleMillis, Evidence.REUSE);
	}

	void provedSafe(long idleMillis, Evidence evidence) {
		if (idleMillis > this.safeIdleMillis.get()) {
			this.safeIdleMillis.accumulateAndGet(idleMillis, Math::max);
			this.safeIdleEvidence = evidence;
		}
	}

	/**
	 * A pooled connection was seen open after having been idle this long.
	 * @param idleMillis its idle time
	 */
	void survived(long idleMillis) {
		if (idleMillis > this.survivedIdleMillis.get()) {
			this.survivedIdleMillis.accumulateAndGet(idleMillis, Math::max);
		}
	}

	void announced(long idleMillis) {
		this.announcedIdleMillis = idleMillis;
	}

	/** A connection died or closed after this long idle: nothing that long or longer is proven any more. */
	void disprovedAt(long idleMillis) {
		this.safeIdleMillis.getAndUpdate((proven) -> (proven >= idleMillis) ? 0 : proven);
		this.survivedIdleMillis.getAndUpdate((survived) -> (survived >= idleMillis) ? 0 : survived);
	}

	/** A reused connection died stale: from now on, only reuses, closes and hints prove anything. */
	void becomeStrict() {
		this.strict = true;
	}

	void freshConnectionTaken() {
		this.freshConnections.incrementAndGet();
	}

	void closedWhileIdle() {
		this.idleCloses.incrementAndGet();
	}

	/**
	 * The host's survival probe, if one is kept.
	 * @return its channel, or {@code null}
	 */
	@Nullable Channel probe() {
		return this.probe.get();
	}

	/**
	 * Keep a connection as the host's survival probe, unless one is kept already.
	 * @param channel the connection's channel
	 * @return whether it is the probe now
	 */
	boolean keepProbe(Channel channel) {
		return this.probe.compareAndSet(null, channel);
	}

	void probeGone(Channel channel) {
		this.probe.compareAndSet(channel, null);
	}

}
