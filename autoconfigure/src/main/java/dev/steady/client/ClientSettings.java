package dev.steady.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.steady.tcp.TcpKeepAliveOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * Connection settings of one HTTP client in effect, immutable: its pool, timeouts, TCP
 * keep-alive, TLS and retry. Mapped once at startup from the bound properties, after
 * defaults and named-client inheritance; running code reads these values only.
 *
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout time allowed until the first response byte, and between reads
 * @param keepAlive whether connections are kept alive and reused
 * @param pool the pool settings of every remote host without an override
 * @param tcpKeepAlive TCP keep-alive probes on the client's sockets
 * @param ssl TLS settings
 * @param retry retry settings
 * @param protocols HTTP versions the client may speak, never empty
 * @param http2 HTTP/2 connection settings, used when the protocols include h2 or h2c
 *
 * @since 0.1.0
 */
public record ClientSettings(Duration connectTimeout, Duration responseTimeout, boolean keepAlive, Pool pool,
		TcpKeepAliveOptions tcpKeepAlive, Ssl ssl, Retry retry, List<Protocol> protocols, Http2 http2) {

	public ClientSettings {
		protocols = List.copyOf(protocols);
	}

	/**
	 * Whether the client may speak HTTP/2, over TLS or in clear text.
	 * @return whether h2 or h2c is among the protocols
	 * @since 0.3.0
	 */
	public boolean mayUseHttp2() {
		return this.protocols.contains(Protocol.H2) || this.protocols.contains(Protocol.H2C);
	}

	/**
	 * Leak detection threshold in effect for a pool of this client: the pool's own, or twice
	 * the response timeout. {@link Duration#ZERO} means leak detection is off.
	 * @param pool the client's pool settings or one host's
	 * @return the threshold
	 */
	public Duration effectiveLeakDetectionThreshold(Pool pool) {
		Duration threshold = pool.leakDetectionThreshold();
		return (threshold != null) ? threshold : this.responseTimeout.multipliedBy(2);
	}

	/**
	 * Connection pool settings, per remote host.
	 *
	 * @param maxConnections maximum number of connections per remote host
	 * @param pendingAcquireMaxCount maximum number of requests waiting for a connection; -1
	 * for no limit
	 * @param pendingAcquireTimeout how long a request may wait for a connection
	 * @param maxIdleTime close connections idle for longer than this
	 * @param maxLifeTime close connections older than this, less a random variance
	 * @param evictionInterval period of background eviction, or {@code null} for half of
	 * {@code maxIdleTime}
	 * @param leasingStrategy which idle connection an acquire gets
	 * @param leakDetectionThreshold hold time after which a lease is a suspected leak, or
	 * {@code null} for twice the response timeout; zero disables leak detection
	 * @param leakDetectionClose whether a connection suspected of leaking is closed
	 * @param honorKeepAliveHints whether {@code Keep-Alive: timeout=N} sets a connection's
	 * idle limit
	 * @param keepAliveHintMargin how much earlier than a hint a connection is closed
	 * @param maxKeepAliveHint longest idle limit a hint can set
	 * @param learnIdleTimeout whether a host's idle limit is lowered when a reused
	 * connection to it dies stale
	 * @param learnFactor share of the failed connection's idle time that becomes the limit
	 * @param minLearnedIdleTime lowest idle limit learning can set
	 * @param forgetLearnedAfter how long a learned idle limit lasts before the host's
	 * connections return to their configured or hinted limit
	 * @param maxRequestsPerConnection requests after which a connection is retired; 0 for no
	 * limit
	 * @param reuseProvenIdleOnly whether only reuses, idle closes and hints prove a host's
	 * idle times to requests that would not be retried, not connections seen open (strict)
	 * @param unprovenReuseMaxIdle longest idle time at which such a request reuses a
	 * connection its host has not proven safe
	 */
	public record Pool(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
			Duration maxIdleTime, Duration maxLifeTime, @Nullable Duration evictionInterval,
			LeasingStrategy leasingStrategy, @Nullable Duration leakDetectionThreshold, boolean leakDetectionClose,
			boolean honorKeepAliveHints, Duration keepAliveHintMargin, Duration maxKeepAliveHint,
			boolean learnIdleTimeout, double learnFactor, Duration minLearnedIdleTime, Duration forgetLearnedAfter,
			int maxRequestsPerConnection, boolean reuseProvenIdleOnly, Duration unprovenReuseMaxIdle) {

		/**
		 * Background eviction period in effect: the configured one, or half of max-idle-time.
		 * @return the eviction period
		 */
		public Duration effectiveEvictionInterval() {
			return (this.evictionInterval != null) ? this.evictionInterval : this.maxIdleTime.dividedBy(2);
		}

	}

	/**
	 * An HTTP version a client may speak.
	 *
	 * @since 0.3.0
	 */
	public enum Protocol {

		/** HTTP/1.1. */
		HTTP11,

		/**
		 * HTTP/2 over TLS, negotiated with ALPN; a server that does not offer it is spoken to
		 * in HTTP/1.1, and so are plain {@code http} URIs.
		 */
		H2,

		/** HTTP/2 in clear text with prior knowledge, on plain {@code http} URIs. */
		H2C

	}

	/**
	 * HTTP/2 connections per remote host.
	 *
	 * @param maxConnections maximum number of HTTP/2 connections per remote host
	 * @param maxConcurrentStreams most streams open at once on one connection, or -1 for
	 * as many as the peer allows
	 * @param minConnections connections opened before streams are multiplexed on few
	 * @param ping the PING health check of connections with streams open
	 * @since 0.3.0
	 */
	public record Http2(int maxConnections, long maxConcurrentStreams, int minConnections, Ping ping) {
	}

	/**
	 * The PING health check of an HTTP/2 connection with streams open.
	 *
	 * @param interval how long it may read nothing before it is sent a PING
	 * @param ackTimeout how long a PING may go unanswered before it counts as dropped
	 * @param dropThreshold PINGs dropped in a row after which the connection is closed
	 * @since 0.3.0
	 */
	public record Ping(Duration interval, Duration ackTimeout, int dropThreshold) {
	}

	/**
	 * Which idle connection a request gets from the pool.
	 */
	public enum LeasingStrategy {

		/**
		 * Most recently used first: keeps few connections warm, lets the rest expire.
		 */
		LIFO,

		/**
		 * Least recently used first: spreads requests over every pooled connection.
		 */
		FIFO

	}

	/**
	 * TLS settings.
	 *
	 * @param bundle name of the Spring Boot SSL bundle of this client, or {@code null} for the
	 * JDK's defaults
	 * @param handshakeTimeout time limit of the TLS handshake
	 */
	public record Ssl(@Nullable String bundle, Duration handshakeTimeout) {
	}

	/**
	 * Retry of failures that are safe to retry.
	 *
	 * @param enabled whether failed requests are retried when that is safe
	 * @param maxAttempts maximum number of attempts, the first one included
	 * @param methods methods retried after a failure that may have reached the server, or a
	 * retryable status
	 * @param honorIdempotencyKey whether a request carrying an idempotency key header is
	 * retried like an idempotent one
	 * @param statuses response statuses retried for idempotent requests
	 * @param maxRetryAfter longest {@code Retry-After} a status retry waits for
	 * @param backoff wait before a retry
	 * @param budget retry budget per remote host
	 */
	public record Retry(boolean enabled, int maxAttempts, Set<HttpMethod> methods, boolean honorIdempotencyKey,
			Set<Integer> statuses, Duration maxRetryAfter, Backoff backoff, Budget budget) {

		public Retry {
			methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
			statuses = Collections.unmodifiableSet(new LinkedHashSet<>(statuses));
		}

	}

	/**
	 * Wait before a retry: a random time between zero and initial x multiplier^(retry - 1),
	 * capped at max.
	 *
	 * @param initial upper bound of the random wait before the first retry
	 * @param multiplier factor applied to the upper bound for each further retry
	 * @param max largest wait before any retry
	 */
	public record Backoff(Duration initial, double multiplier, Duration max) {
	}

	/**
	 * Retry budget per client and remote host: retries in the last ttl may be at most
	 * ratio x requests of the last ttl, plus minPerSecond x ttl.
	 *
	 * @param ratio share of recent requests that may be retried
	 * @param minPerSecond retries per second always allowed
	 * @param ttl window over which requests and retries are counted
	 */
	public record Budget(double ratio, int minPerSecond, Duration ttl) {
	}

}
