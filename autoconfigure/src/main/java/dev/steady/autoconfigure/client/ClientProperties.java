package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.steady.client.ClientSettings;
import dev.steady.client.ClientSettings.LeasingStrategy;
import dev.steady.client.ClientSettings.Protocol;
import dev.steady.tcp.TcpKeepAliveProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * Connection properties of one HTTP client, a binding target only: bound from
 * {@code steady.client-defaults.*} for the default client and from
 * {@code steady.clients.<name>.*} for a named client, which inherits every value it does not
 * set. Mapped once into the immutable {@link ClientSettings} that running code reads.
 *
 * @since 0.2.0
 */
public class ClientProperties {

	/**
	 * TCP connect timeout.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Time allowed until the first response byte, and between reads of the response.
	 * Overridable per request with {@code SteadyRequestOptions.responseTimeout(...)}.
	 */
	private Duration responseTimeout = Duration.ofSeconds(30);

	/**
	 * Whether connections are kept alive and reused. When false every request is sent on a
	 * new connection.
	 */
	private boolean keepAlive = true;

	/**
	 * HTTP versions the client may speak: http11; h2, HTTP/2 over TLS negotiated with ALPN,
	 * falling back to HTTP/1.1 when the server does not offer it (plain http URIs use
	 * HTTP/1.1); h2c, HTTP/2 in clear text with prior knowledge. "h2,h2c" speaks h2 to https
	 * URIs and h2c to http URIs; "http11,h2c" upgrades HTTP/1.1 connections to h2c.
	 */
	private List<Protocol> protocols = new ArrayList<>(List.of(Protocol.HTTP11));

	private final Pool pool = new Pool();

	private final Http2 http2 = new Http2();

	private final TcpKeepAlive tcpKeepAlive = new TcpKeepAlive();

	private final Ssl ssl = new Ssl();

	private final Retry retry = new Retry();

	/**
	 * Per-remote-host overrides of the pool settings, keyed by "host:port". Keys contain
	 * dots and a colon, so write them in brackets: hosts[api.example.com:443].pool.max-connections
	 * in .properties, "[api.example.com:443]" as the key in YAML.
	 */
	private Map<String, Host> hosts = new LinkedHashMap<>();

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

	public boolean isKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(boolean keepAlive) {
		this.keepAlive = keepAlive;
	}

	public List<Protocol> getProtocols() {
		return this.protocols;
	}

	public void setProtocols(List<Protocol> protocols) {
		this.protocols = protocols;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Http2 getHttp2() {
		return this.http2;
	}

	public TcpKeepAlive getTcpKeepAlive() {
		return this.tcpKeepAlive;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Map<String, Host> getHosts() {
		return this.hosts;
	}

	public void setHosts(Map<String, Host> hosts) {
		this.hosts = hosts;
	}


	/**
	 * Connection pool settings, per remote host.
	 */
	public static class Pool {

		/**
		 * Maximum number of connections per remote host.
		 */
		private int maxConnections = 500;

		/**
		 * Maximum number of requests waiting for a connection; -1 for no limit.
		 */
		private int pendingAcquireMaxCount = 1000;

		/**
		 * How long a request may wait for a connection before it fails.
		 */
		private Duration pendingAcquireTimeout = Duration.ofSeconds(10);

		/**
		 * Close connections idle for longer than this. Keep it below the upstream's
		 * keep-alive timeout (Node, Apache and uvicorn close after 5s).
		 */
		private Duration maxIdleTime = Duration.ofSeconds(4);

		/**
		 * Close connections older than this, less a random variance of up to 10% per
		 * connection so that connections opened together do not expire together.
		 */
		private Duration maxLifeTime = Duration.ofMinutes(10);

		/**
		 * Period of background eviction, which closes idle and expired connections without
		 * waiting for the next acquire. When unset, half of max-idle-time.
		 */
		private @Nullable Duration evictionInterval;

		/**
		 * Which idle connection an acquire gets: the most recently used (lifo) or the least
		 * recently used (fifo).
		 */
		private LeasingStrategy leasingStrategy = LeasingStrategy.LIFO;

		/**
		 * Report a connection held longer than this as a suspected leak (a response body
		 * never consumed or released), once, at WARN, naming the request that holds it.
		 * When unset, twice the response-timeout; 0 disables leak detection.
		 */
		private @Nullable Duration leakDetectionThreshold;

		/**
		 * Whether a connection suspected of leaking is closed, so that the pool gets its
		 * slot back. The request holding it then fails.
		 */
		private boolean leakDetectionClose;

		/**
		 * Whether a response's "Keep-Alive: timeout=N" header sets its connection's idle
		 * limit to N less keep-alive-hint-margin, in place of max-idle-time.
		 */
		private boolean honorKeepAliveHints = true;

		/**
		 * How much earlier than a Keep-Alive hint says a connection is closed.
		 */
		private Duration keepAliveHintMargin = Duration.ofSeconds(1);

		/**
		 * Longest idle limit a Keep-Alive hint can set.
		 */
		private Duration maxKeepAliveHint = Duration.ofMinutes(10);

		/**
		 * Whether a host's idle limit is lowered when a reused connection to it dies stale, or
		 * when it closes a pooled connection while idle: the host evidently closes idle
		 * connections sooner than the limit.
		 */
		private boolean learnIdleTimeout = true;

		/**
		 * Share of the idle time after which a host's connection failed or was closed that
		 * becomes the host's learned limit, and of a proven idle time that requests that must
		 * not be sent twice reuse.
		 */
		private double learnFactor = 0.8;

		/**
		 * Lowest idle limit learning can set.
		 */
		private Duration minLearnedIdleTime = Duration.ofMillis(100);

		/**
		 * How long a learned idle limit lasts: after that, the host's connections return to
		 * max-idle-time or the server's Keep-Alive hint until the host teaches its limit
		 * again, so that a limit lowered by an upstream's restart or reload comes back.
		 * Requests that must not be sent twice keep reusing only proven idle times meanwhile.
		 */
		private Duration forgetLearnedAfter = Duration.ofMinutes(10);

		/**
		 * Requests after which a connection is retired, mirroring servers' keep-alive
		 * request limits; 0 for no limit.
		 */
		private int maxRequestsPerConnection;

		/**
		 * Whether only reuses, idle closes and Keep-Alive hints prove how long a host keeps
		 * idle connections (strict), or a pooled connection seen still open after an idle
		 * time proves it too. Either way, a request that would not be retried after a stale
		 * connection (not idempotent and without idempotency key, on its last attempt, or on
		 * a client without retry) reuses only a connection idle no longer than its host has
		 * proven safe (times learn-factor) or than unproven-reuse-max-idle, and takes a fresh
		 * connection otherwise. Set it for upstreams that forget idle connections without
		 * closing them within seconds; a host on which a reused connection dies stale is
		 * treated strictly anyway.
		 */
		private boolean reuseProvenIdleOnly;

		/**
		 * Longest idle time at which a request that would not be retried reuses a connection
		 * its host has not proven safe. Keep it well below the shortest upstream idle timeout.
		 */
		private Duration unprovenReuseMaxIdle = Duration.ofMillis(50);

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getPendingAcquireMaxCount() {
			return this.pendingAcquireMaxCount;
		}

		public void setPendingAcquireMaxCount(int pendingAcquireMaxCount) {
			this.pendingAcquireMaxCount = pendingAcquireMaxCount;
		}

		public Duration getPendingAcquireTimeout() {
			return this.pendingAcquireTimeout;
		}

		public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
			this.pendingAcquireTimeout = pendingAcquireTimeout;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public Duration getMaxLifeTime() {
			return this.maxLifeTime;
		}

		public void setMaxLifeTime(Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
		}

		public @Nullable Duration getEvictionInterval() {
			return this.evictionInterval;
		}

		public void setEvictionInterval(@Nullable Duration evictionInterval) {
			this.evictionInterval = evictionInterval;
		}


		public LeasingStrategy getLeasingStrategy() {
			return this.leasingStrategy;
		}

		public void setLeasingStrategy(LeasingStrategy leasingStrategy) {
			this.leasingStrategy = leasingStrategy;
		}

		public @Nullable Duration getLeakDetectionThreshold() {
			return this.leakDetectionThreshold;
		}

		public void setLeakDetectionThreshold(@Nullable Duration leakDetectionThreshold) {
			this.leakDetectionThreshold = leakDetectionThreshold;
		}

		public boolean isLeakDetectionClose() {
			return this.leakDetectionClose;
		}

		public void setLeakDetectionClose(boolean leakDetectionClose) {
			this.leakDetectionClose = leakDetectionClose;
		}

		public boolean isHonorKeepAliveHints() {
			return this.honorKeepAliveHints;
		}

		public void setHonorKeepAliveHints(boolean honorKeepAliveHints) {
			this.honorKeepAliveHints = honorKeepAliveHints;
		}

		public Duration getKeepAliveHintMargin() {
			return this.keepAliveHintMargin;
		}

		public void setKeepAliveHintMargin(Duration keepAliveHintMargin) {
			this.keepAliveHintMargin = keepAliveHintMargin;
		}

		public Duration getMaxKeepAliveHint() {
			return this.maxKeepAliveHint;
		}

		public void setMaxKeepAliveHint(Duration maxKeepAliveHint) {
			this.maxKeepAliveHint = maxKeepAliveHint;
		}

		public boolean isLearnIdleTimeout() {
			return this.learnIdleTimeout;
		}

		public void setLearnIdleTimeout(boolean learnIdleTimeout) {
			this.learnIdleTimeout = learnIdleTimeout;
		}

		public double getLearnFactor() {
			return this.learnFactor;
		}

		public void setLearnFactor(double learnFactor) {
			this.learnFactor = learnFactor;
		}

		public Duration getMinLearnedIdleTime() {
			return this.minLearnedIdleTime;
		}

		public void setMinLearnedIdleTime(Duration minLearnedIdleTime) {
			this.minLearnedIdleTime = minLearnedIdleTime;
		}

		public Duration getForgetLearnedAfter() {
			return this.forgetLearnedAfter;
		}

		public void setForgetLearnedAfter(Duration forgetLearnedAfter) {
			this.forgetLearnedAfter = forgetLearnedAfter;
		}

		public int getMaxRequestsPerConnection() {
			return this.maxRequestsPerConnection;
		}

		public void setMaxRequestsPerConnection(int maxRequestsPerConnection) {
			this.maxRequestsPerConnection = maxRequestsPerConnection;
		}

		public boolean isReuseProvenIdleOnly() {
			return this.reuseProvenIdleOnly;
		}

		public void setReuseProvenIdleOnly(boolean reuseProvenIdleOnly) {
			this.reuseProvenIdleOnly = reuseProvenIdleOnly;
		}

		public Duration getUnprovenReuseMaxIdle() {
			return this.unprovenReuseMaxIdle;
		}

		public void setUnprovenReuseMaxIdle(Duration unprovenReuseMaxIdle) {
			this.unprovenReuseMaxIdle = unprovenReuseMaxIdle;
		}

		/**
		 * The immutable settings these properties map to.
		 * @return the pool settings
		 */
		public ClientSettings.Pool toSettings() {
			return new ClientSettings.Pool(this.maxConnections, this.pendingAcquireMaxCount,
					this.pendingAcquireTimeout, this.maxIdleTime, this.maxLifeTime, this.evictionInterval,
					this.leasingStrategy, this.leakDetectionThreshold, this.leakDetectionClose,
					this.honorKeepAliveHints, this.keepAliveHintMargin, this.maxKeepAliveHint, this.learnIdleTimeout,
					this.learnFactor, this.minLearnedIdleTime, this.forgetLearnedAfter, this.maxRequestsPerConnection,
					this.reuseProvenIdleOnly, this.unprovenReuseMaxIdle);
		}

	}


	/**
	 * TCP keep-alive probes on client sockets, so that a peer or a NAT that silently dropped
	 * the flow is noticed.
	 */
	public static class TcpKeepAlive extends TcpKeepAliveProperties {

		/**
		 * Idle time before the first probe (whole seconds).
		 */
		private Duration idle = Duration.ofSeconds(30);

		@Override
		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

	}

	/**
	 * HTTP/2 connections per remote host, used when the protocols include h2 or h2c. The
	 * pool's pending-acquire timeout, idle and life times apply to them too.
	 */
	public static class Http2 {

		/**
		 * Maximum number of HTTP/2 connections per remote host. When unset, the pool's
		 * max-connections.
		 */
		private @Nullable Integer maxConnections;

		/**
		 * Most streams open at once on one connection. When unset, as many as the peer
		 * allows (its SETTINGS_MAX_CONCURRENT_STREAMS).
		 */
		private @Nullable Long maxConcurrentStreams;

		/**
		 * Connections opened per remote host before streams are multiplexed on fewer.
		 */
		private int minConnections;

		/**
		 * How long a connection with streams open may read nothing before it is sent a PING.
		 * Idle connections, with no stream open, are not pinged.
		 */
		private Duration pingInterval = Duration.ofSeconds(10);

		/**
		 * How long a PING may go unanswered (nothing read from the peer) before it counts as
		 * dropped and, below the threshold, another is sent.
		 */
		private Duration pingAckTimeout = Duration.ofSeconds(5);

		/**
		 * PINGs dropped in a row after which the connection is closed and the streams on it
		 * fail: a stopped peer is found within ping-ack-timeout times this, once a PING is
		 * sent.
		 */
		private int pingAckDropThreshold = 2;

		public @Nullable Integer getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}

		public @Nullable Long getMaxConcurrentStreams() {
			return this.maxConcurrentStreams;
		}

		public void setMaxConcurrentStreams(@Nullable Long maxConcurrentStreams) {
			this.maxConcurrentStreams = maxConcurrentStreams;
		}

		public int getMinConnections() {
			return this.minConnections;
		}

		public void setMinConnections(int minConnections) {
			this.minConnections = minConnections;
		}

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public Duration getPingAckTimeout() {
			return this.pingAckTimeout;
		}

		public void setPingAckTimeout(Duration pingAckTimeout) {
			this.pingAckTimeout = pingAckTimeout;
		}

		public int getPingAckDropThreshold() {
			return this.pingAckDropThreshold;
		}

		public void setPingAckDropThreshold(int pingAckDropThreshold) {
			this.pingAckDropThreshold = pingAckDropThreshold;
		}

		/**
		 * The immutable settings these properties map to.
		 * @param pool the pool whose max-connections applies when none is set here
		 * @return the HTTP/2 settings
		 */
		public ClientSettings.Http2 toSettings(Pool pool) {
			int connections = (this.maxConnections != null) ? this.maxConnections : pool.getMaxConnections();
			long streams = (this.maxConcurrentStreams != null) ? this.maxConcurrentStreams : -1;
			return new ClientSettings.Http2(connections, streams, this.minConnections,
					new ClientSettings.Ping(this.pingInterval, this.pingAckTimeout, this.pingAckDropThreshold));
		}

	}

	/**
	 * TLS settings.
	 */
	public static class Ssl {

		/**
		 * Name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) holding the trust
		 * material and keys of this client. When unset the JDK's default trust store is used.
		 */
		private @Nullable String bundle;

		/**
		 * Time limit of the TLS handshake.
		 */
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

	}

	/**
	 * Retry of failures that are safe to retry: never a request that may have reached the
	 * server unless it is idempotent or carries an idempotency key.
	 */
	public static class Retry {

		/**
		 * Whether failed requests are retried when that is safe.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of attempts, the first one included.
		 */
		private int maxAttempts = 2;

		/**
		 * Methods retried after a failure that may have reached the server (a stale
		 * connection) or after a retryable status.
		 */
		private Set<HttpMethod> methods = new LinkedHashSet<>(List.of(HttpMethod.GET, HttpMethod.HEAD,
				HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE));

		/**
		 * Whether a request of any method carrying an Idempotency-Key or X-Idempotency-Key
		 * header is retried like an idempotent one.
		 */
		private boolean honorIdempotencyKey = true;

		/**
		 * Response statuses retried for idempotent requests, such as 502, 503, 504 or 429.
		 */
		private Set<Integer> statuses = new LinkedHashSet<>();

		/**
		 * Longest Retry-After a status retry waits for; a response asking for longer is
		 * returned as it is.
		 */
		private Duration maxRetryAfter = Duration.ofSeconds(2);

		private final Backoff backoff = new Backoff();

		private final Budget budget = new Budget();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Set<HttpMethod> getMethods() {
			return this.methods;
		}

		public void setMethods(Set<HttpMethod> methods) {
			this.methods = methods;
		}

		public boolean isHonorIdempotencyKey() {
			return this.honorIdempotencyKey;
		}

		public void setHonorIdempotencyKey(boolean honorIdempotencyKey) {
			this.honorIdempotencyKey = honorIdempotencyKey;
		}

		public Set<Integer> getStatuses() {
			return this.statuses;
		}

		public void setStatuses(Set<Integer> statuses) {
			this.statuses = statuses;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public Budget getBudget() {
			return this.budget;
		}

		/**
		 * The immutable settings these properties map to.
		 * @return the retry settings
		 */
		public ClientSettings.Retry toSettings() {
			return new ClientSettings.Retry(this.enabled, this.maxAttempts, this.methods, this.honorIdempotencyKey,
					this.statuses, this.maxRetryAfter,
					new ClientSettings.Backoff(this.backoff.getInitial(), this.backoff.getMultiplier(),
							this.backoff.getMax()),
					new ClientSettings.Budget(this.budget.getRatio(), this.budget.getMinPerSecond(),
							this.budget.getTtl()));
		}

	}

	/**
	 * Wait before a retry: a random time between zero and initial x multiplier^(retry - 1),
	 * capped at max. A stale-connection retry needs a new connection, not a long wait.
	 */
	public static class Backoff {

		/**
		 * Upper bound of the random wait before the first retry.
		 */
		private Duration initial = Duration.ofMillis(50);

		/**
		 * Factor applied to the upper bound for each further retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Largest wait before any retry.
		 */
		private Duration max = Duration.ofSeconds(1);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * Retry budget per client and remote host, so that an outage never multiplies traffic:
	 * retries in the last ttl may be at most ratio x requests of the last ttl, plus
	 * min-per-second x ttl.
	 */
	public static class Budget {

		/**
		 * Share of recent requests that may be retried.
		 */
		private double ratio = 0.2;

		/**
		 * Retries per second always allowed, however few the requests.
		 */
		private int minPerSecond = 10;

		/**
		 * Window over which requests and retries are counted (whole seconds).
		 */
		private Duration ttl = Duration.ofSeconds(10);

		public double getRatio() {
			return this.ratio;
		}

		public void setRatio(double ratio) {
			this.ratio = ratio;
		}

		public int getMinPerSecond() {
			return this.minPerSecond;
		}

		public void setMinPerSecond(int minPerSecond) {
			this.minPerSecond = minPerSecond;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * Settings of one remote host that differ from the client's.
	 */
	public static class Host {

		private final Pool pool = new Pool();

		public Pool getPool() {
			return this.pool;
		}

	}

}
