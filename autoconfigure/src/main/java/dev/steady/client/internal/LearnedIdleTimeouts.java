package dev.steady.client.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What each client has learned of its upstreams' real idle timeouts, from both sides:
 * <ul>
 * <li>when a reused connection dies stale after having been idle for t, or the host closes a
 * pooled connection idle for t, the host closes idle connections within t. The shortest such
 * t per host is kept; each pool turns it into an idle limit ({@code t x learn-factor}, at
 * least {@code min-learned-idle-time});</li>
 * <li>when a reused connection serves a request after having been idle for t, or the host
 * closes a pooled connection only after it had been idle for t, the host keeps idle
 * connections for at least t: t is proven safe. The longest proven t per host is kept
 * (and dropped when a connection dies stale after as long), together with how many fresh
 * connections requests that must not be sent twice took instead of reusing a connection
 * idle beyond it;</li>
 * <li>when a pooled connection is seen still open in the kernel after having been idle for
 * t, t survived; survivals prove idle times too, unless the client is strict or the host is:
 * a stale failure makes a host strict, since it may forget connections without a FIN.</li>
 * </ul>
 * A lesson lasts forget-learned-after (each pool forgets it when it finds it that old), so a
 * limit lowered by an upstream's restart, a reload or a passing network fault comes back; and
 * idle connections a host closes together at widely different idle times teach nothing
 * ({@link IdleCloseBurst}). Proofs are kept as long as the host's pool: requests that must
 * not be sent twice stay on them. Everything of a host goes with its pool ({@link #forgetHost}).
 * A host's idle timeout is the host's, whichever client asks: what one client proves of a
 * host, every client of the application may rely on, and a stale failure seen by one
 * withdraws the proofs of all. So a hand-made client without retry reuses connections as
 * long as Steady's client with retry proved safe on the same host.
 */
public final class LearnedIdleTimeouts {

	/**
	 * A server that closes an idle connection sooner than this after its last response is not
	 * timing it out (it is shutting down, or short of connections): nothing is learned of it.
	 */
	static final long MIN_IDLE_CLOSE_MILLIS = 100;

	private static final Log logger = LogFactory.getLog(LearnedIdleTimeouts.class);


	private final Map<String, Map<SocketAddress, Lesson>> lessons = new ConcurrentHashMap<>();

	private final Map<String, Map<SocketAddress, ProvenIdle>> proven = new ConcurrentHashMap<>();

	private final Map<SocketAddress, IdleCloseBurst> idleCloses = new ConcurrentHashMap<>();

	private final Http2StreamLimits http2StreamLimits = new Http2StreamLimits();

	private final LongSupplier clock;

	// runs the log of an idle timeout's closes once they are over
	private final Executor logLater;

	private volatile BiConsumer<String, ProvenIdle> provenIdleListener = (client, host) -> {
	};

	/**
	 * Keep what clients learn, on the system clock.
	 */
	public LearnedIdleTimeouts() {
		this(System::currentTimeMillis,
				CompletableFuture.delayedExecutor(IdleCloseBurst.WINDOW_MILLIS + 50, TimeUnit.MILLISECONDS));
	}

	LearnedIdleTimeouts(LongSupplier clock) {
		this(clock, (log) -> {
		});
	}

	LearnedIdleTimeouts(LongSupplier clock, Executor logLater) {
		this.clock = clock;
		this.logLater = logLater;
	}

	/**
	 * Record that a reused connection died stale after having been idle for a while.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param idleMillis how long the connection had been idle before the request
	 */
	public void staleAfterIdle(String client, SocketAddress remote, long idleMillis) {
		learn(client, remote, idleMillis, "closed a connection that had been idle for ");
		disproveAt(remote, idleMillis);
		provenIdle(client, remote); // the client's record of the host exists from its first lesson on
		this.proven.values().forEach((provenHosts) -> {
			ProvenIdle host = provenHosts.get(remote);
			if (host != null) {
				host.becomeStrict();
			}
		});
	}

	/**
	 * Record that a host closed a pooled connection (a FIN or a reset) while it sat idle, as
	 * nginx, Node and HAProxy do when their keep-alive timeout expires: the host closes idle
	 * connections after about that long. Like a stale failure, that lowers the client's idle
	 * limit and withdraws longer proofs; unlike one, the connection was open until then, so
	 * the idle time itself is proven safe (no longer than the shortest idle close the host
	 * taught, since a close an event loop noticed late looks longer idle than it was), and
	 * requests that must not be sent twice reuse connections up to a share of it (the
	 * learn-factor) before any request raced a close. A close sooner than
	 * {@value #MIN_IDLE_CLOSE_MILLIS} ms after the last read teaches nothing, and closes that
	 * come together at widely different idle times are a shutdown or a reload, not an idle
	 * timeout ({@link IdleCloseBurst}): they lower no limit, prove nothing, and withdraw what
	 * the first of them taught. Longer proofs are withdrawn all the same, which only ever
	 * makes requests that must not be sent twice take fresh connections sooner.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param idleMillis how long the connection had been idle since its last read when the
	 * host closed it
	 * @param mostIdleMillis how long it had been idle at most, since its last use began: a
	 * read that came late makes the idle time since the last read shorter than the server's
	 */
	public void closedWhileIdle(String client, SocketAddress remote, long idleMillis, long mostIdleMillis) {
		boolean teaches = idleMillis >= MIN_IDLE_CLOSE_MILLIS;
		Lesson taught = null;
		IdleCloseBurst burst = this.idleCloses.computeIfAbsent(remote, (address) -> new IdleCloseBurst());
		synchronized (burst) {
			IdleCloseBurst.Verdict verdict = burst.closed(this.clock.getAsLong(), idleMillis, mostIdleMillis);
			if (verdict == IdleCloseBurst.Verdict.SHUTDOWN_FOUND) {
				withdraw(remote, burst);
			}
			else if (verdict == IdleCloseBurst.Verdict.IDLE_TIMEOUT && teaches) {
				burst.teaching(client, lessonsOf(client).get(remote));
				if (lower(client, remote, idleMillis) && burst.logWhenOver()) {
					this.logLater.execute(() -> logWhenOver(remote, burst));
				}
				taught = lessonsOf(client).get(remote);
			}
		}
		ProvenIdle host = provenIdle(client, remote);
		if (teaches) {
			disproveAt(remote, idleMillis);
		}
		if (taught != null) {
			// a close an event loop noticed late looks longer idle than it was: it proves no more than the
			// shortest idle close of the host, and a shutdown's closes prove nothing
			host.provedSafe(Math.min(idleMillis, taught.idleMillis()), ProvenIdle.Evidence.CLOSE);
		}
		host.closedWhileIdle();
	}

	/**
	 * Log once what an idle timeout's closes taught, when they are over: closes that turn out
	 * to be a shutdown have logged that instead, so a reload logs one line, not one per
	 * connection.
	 */
	private void logWhenOver(SocketAddress remote, IdleCloseBurst burst) {
		synchronized (burst) {
			if (!burst.over(this.clock.getAsLong())) {
				this.logLater.execute(() -> logWhenOver(remote, burst));
				return;
			}
			burst.logged();
			if (burst.shutdown() || !logger.isInfoEnabled()) {
				return;
			}
			burst.lessonsBefore().keySet().forEach((client) -> {
				Lesson lesson = lessonsOf(client).get(remote);
				if (lesson != null) {
					logger.info("Steady client '" + client + "': " + remote + " closed idle connections after "
							+ lesson.idleMillis() + " ms (" + burst.closes() + " at a time); its connections are now"
							+ " evicted sooner (steady.client-defaults.pool.learn-factor of that)");
				}
			});
		}
	}

	private void learn(String client, SocketAddress remote, long idleMillis, String what) {
		if (lower(client, remote, idleMillis) && logger.isInfoEnabled()) {
			logger.info("Steady client '" + client + "': " + remote + " " + what + lessonsOf(client).get(remote).idleMillis()
					+ " ms; its connections are now evicted sooner (steady.client-defaults.pool.learn-factor of that)");
		}
	}

	/** Lower what a client learned of a host to this idle time: whether that changed it. */
	private boolean lower(String client, SocketAddress remote, long idleMillis) {
		Map<SocketAddress, Lesson> hosts = lessonsOf(client);
		Lesson before = hosts.get(remote);
		Lesson after = hosts.merge(remote, new Lesson(idleMillis, this.clock.getAsLong()),
				(known, taught) -> (taught.idleMillis() <= known.idleMillis()) ? taught : known);
		return before == null || before.idleMillis() != after.idleMillis();
	}

	/** A host's connection died or closed after this long: every client's longer proofs of it are withdrawn. */
	private void disproveAt(SocketAddress remote, long idleMillis) {
		this.proven.values().forEach((provenHosts) -> {
			ProvenIdle host = provenHosts.get(remote);
			if (host != null) {
				host.disprovedAt(idleMillis);
			}
		});
	}

	/** A shutdown's closes teach nothing: each client it taught gets back what it knew of the host before. */
	private void withdraw(SocketAddress remote, IdleCloseBurst burst) {
		burst.lessonsBefore().forEach((client, before) -> lessonsOf(client).compute(remote, (address, lesson) -> before));
		if (logger.isInfoEnabled()) {
			logger.info("Steady: " + remote + " is closing idle connections at once, at widely different idle"
					+ " times: a shutdown or reload, not an idle timeout; nothing is learned of it");
		}
	}

	/**
	 * Forget a lesson that has lasted its time (forget-learned-after): the host's connections
	 * return to their configured or hinted idle limit until the host teaches it again.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param lesson the lesson that has lasted its time
	 */
	void forget(String client, SocketAddress remote, Lesson lesson) {
		if (lessonsOf(client).remove(remote, lesson) && logger.isInfoEnabled()) {
			logger.info("Steady client '" + client + "': forgot that " + remote + " closed connections idle for "
					+ lesson.idleMillis() + " ms (steady.client-defaults.pool.forget-learned-after); its idle limit"
					+ " is back to the configured one until the host teaches it again");
		}
	}

	/**
	 * Record that an idle connection was not reused by a request that must not be sent twice,
	 * because its idle time was not proven safe: the request takes a fresh connection.
	 * @param client the client's name
	 * @param remote the host's address
	 */
	public void freshConnectionTaken(String client, SocketAddress remote) {
		provenIdle(client, remote).freshConnectionTaken();
	}

	/**
	 * What a client learned of its hosts, live, for a pool that asks on every acquire and
	 * release: the shortest idle times after which it saw their connections die stale or
	 * closed, and when.
	 * @param client the client's name
	 * @return lessons per host address, updated as the client learns
	 */
	Map<SocketAddress, Lesson> lessonsOf(String client) {
		return this.lessons.computeIfAbsent(client, (name) -> new ConcurrentHashMap<>());
	}

	/**
	 * The shortest idle time after which a client saw a host's connection die stale or
	 * closed, until forgotten.
	 * @param client the client's name
	 * @param remote the host's address
	 * @return the idle time, or {@code null} if nothing is known
	 */
	public @Nullable Duration shortestStaleIdle(String client, SocketAddress remote) {
		Map<SocketAddress, Lesson> hosts = this.lessons.get(client);
		Lesson lesson = (hosts != null) ? hosts.get(remote) : null;
		return (lesson != null) ? Duration.ofMillis(lesson.idleMillis()) : null;
	}

	/**
	 * The longest idle time after which any client's reused connection to a host served a
	 * request, since the last stale failure that contradicted it.
	 * @param remote the host's address
	 * @return the idle time in milliseconds, 0 when none is proven
	 */
	public long provenSafeIdleMillis(SocketAddress remote) {
		return provenSafeIdleMillis(remote, false);
	}

	/**
	 * The longest idle time any client proved safe on a host: by a reused connection that
	 * served a request after it, an idle close after it, or, when counted and the host is not
	 * strict, a pooled connection seen open after it; since the last stale failure or close
	 * that contradicted it.
	 * @param remote the host's address
	 * @param countSurvival whether a connection seen open counts
	 * @return the idle time in milliseconds, 0 when none is proven
	 */
	public long provenSafeIdleMillis(SocketAddress remote, boolean countSurvival) {
		long longest = 0;
		for (Map<SocketAddress, ProvenIdle> hosts : this.proven.values()) {
			ProvenIdle host = hosts.get(remote);
			if (host != null) {
				longest = Math.max(longest, host.provenMillis(countSurvival));
			}
		}
		return longest;
	}

	/**
	 * What proves a host's idle limit today: the evidence of the longest proof any client
	 * holds, a hint when the host announced one and hints are honoured.
	 * @param remote the host's address
	 * @param countSurvival whether a connection seen open counts
	 * @param countHints whether Keep-Alive hints are honoured
	 * @return the evidence
	 */
	public ProvenIdle.Evidence provenBy(SocketAddress remote, boolean countSurvival, boolean countHints) {
		ProvenIdle.Evidence evidence = ProvenIdle.Evidence.NONE;
		long longest = 0;
		for (Map<SocketAddress, ProvenIdle> hosts : this.proven.values()) {
			ProvenIdle host = hosts.get(remote);
			ProvenIdle.Evidence hostEvidence = (host != null) ? host.evidence(countSurvival, countHints) : evidence;
			if (hostEvidence == ProvenIdle.Evidence.HINT) {
				return hostEvidence;
			}
			if (host != null && host.provenMillis(countSurvival) > longest) {
				evidence = hostEvidence;
				longest = host.provenMillis(countSurvival);
			}
		}
		return evidence;
	}

	/**
	 * Everything a client learned and has not forgotten yet, per host.
	 * @param client the client's name
	 * @return shortest stale idle time in milliseconds per host address
	 */
	public Map<SocketAddress, Long> of(String client) {
		Map<SocketAddress, Long> idleMillis = new LinkedHashMap<>();
		this.lessons.getOrDefault(client, Map.of()).forEach((remote, lesson) -> idleMillis.put(remote, lesson.idleMillis()));
		return Collections.unmodifiableMap(idleMillis);
	}

	/**
	 * What each host of a client proved safe, and the fresh connections taken for safety.
	 * @param client the client's name
	 * @return per host address
	 */
	public Map<SocketAddress, ProvenIdle> provenOf(String client) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.proven.getOrDefault(client, Map.of())));
	}

	/**
	 * Be told of every host a client starts keeping proofs for, with what is known so far.
	 * @param listener receives the client's name and the host's record, which stays live
	 */
	public void onProvenIdle(BiConsumer<String, ProvenIdle> listener) {
		this.provenIdleListener = listener;
		this.proven.forEach((client, hosts) -> hosts.values().forEach((host) -> listener.accept(client, host)));
	}

	/**
	 * The proofs of one host of a client, created on first use: reused connections that
	 * served a request prove their idle time safe on it.
	 * @param client the client's name
	 * @param remote the host's address
	 * @return the host's live record
	 */
	ProvenIdle provenIdle(String client, SocketAddress remote) {
		Map<SocketAddress, ProvenIdle> hosts = this.proven.computeIfAbsent(client, (name) -> new ConcurrentHashMap<>());
		ProvenIdle host = hosts.get(remote);
		if (host != null) {
			return host;
		}
		ProvenIdle created = new ProvenIdle(remote);
		ProvenIdle existing = hosts.putIfAbsent(remote, created);
		if (existing != null) {
			return existing;
		}
		this.provenIdleListener.accept(client, created);
		return created;
	}

	/**
	 * What a client learned of a host: it closes idle connections within this idle time.
	 * @param idleMillis the shortest idle time after which a connection died stale or closed
	 * @param learnedAt when the client learned it, in epoch milliseconds
	 */
	record Lesson(long idleMillis, long learnedAt) {
	}

	private volatile BiConsumer<String, ProvenIdle> provenIdleForgottenListener = (client, host) -> {
	};

	/**
	 * How many streams each HTTP/2 server serves on a connection, learned beside its idle
	 * timeout: both are what a host's connections can carry.
	 * @return the hosts' stream limits
	 */
	Http2StreamLimits http2StreamLimits() {
		return this.http2StreamLimits;
	}

	/**
	 * Forget what a client learned and proved of a host whose pool is gone, unused for
	 * {@code steady.health.forget-after}: its lessons and proofs, and the host's idle-close
	 * burst once no client keeps a lesson or proof of it. Called once per disposed pool, never
	 * per request.
	 * @param client the client's name
	 * @param pool the address Reactor Netty keyed the host's pool by
	 */
	public void forgetHost(String client, SocketAddress pool) {
		Map<SocketAddress, Lesson> lessons = this.lessons.getOrDefault(client, new ConcurrentHashMap<>());
		Map<SocketAddress, ProvenIdle> proofs = this.proven.getOrDefault(client, new ConcurrentHashMap<>());
		PooledHost host = PooledHost.of(pool);
		Set<SocketAddress> addresses = new HashSet<>(host.addressesAmong(lessons.keySet()));
		addresses.addAll(host.addressesAmong(proofs.keySet()));
		for (SocketAddress address : addresses) {
			lessons.remove(address);
			ProvenIdle forgotten = proofs.remove(address);
			if (forgotten != null) {
				this.provenIdleForgottenListener.accept(client, forgotten);
			}
			IdleCloseBurst burst = this.idleCloses.get(address);
			if (burst != null) {
				synchronized (burst) {
					burst.lessonsBefore().remove(client);
					if (!keptByAnyClient(address)) {
						this.idleCloses.remove(address, burst);
					}
				}
			}
		}
	}

	/**
	 * Be told of every host whose proofs a client forgot, as {@link #forgetHost} drops them.
	 * @param listener receives the client's name and the host's record, no longer kept
	 */
	public void onProvenIdleForgotten(BiConsumer<String, ProvenIdle> listener) {
		this.provenIdleForgottenListener = listener;
	}

	private boolean keptByAnyClient(SocketAddress address) {
		return this.proven.values().stream().anyMatch((hosts) -> hosts.containsKey(address))
				|| this.lessons.values().stream().anyMatch((hosts) -> hosts.containsKey(address));
	}

}
