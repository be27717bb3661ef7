package dev.steady.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Connection settings of one HTTP client: its pool, timeouts, TCP keep-alive and TLS.
 * Bound from {@code steady.client.*} for the default client and from
 * {@code steady.clients.<name>.*} for a named client, which inherits every value it does
 * not set from {@code steady.client.*}.
 */
public class ClientSettings {

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

	private final Pool pool = new Pool();

	private final TcpKeepAlive tcpKeepAlive = new TcpKeepAlive();

	private final Ssl ssl = new Ssl();

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

	public Pool getPool() {
		return this.pool;
	}

	public TcpKeepAlive getTcpKeepAlive() {
		return this.tcpKeepAlive;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Map<String, Host> getHosts() {
		return this.hosts;
	}

	public void setHosts(Map<String, Host> hosts) {
		this.hosts = hosts;
	}

	/**
	 * Leak detection threshold in effect for a pool of this client: the pool's own, or twice
	 * the response timeout. {@link Duration#ZERO} means leak detection is off.
	 * @param pool the client's pool settings or one host's
	 * @return the threshold
	 */
	public Duration effectiveLeakDetectionThreshold(Pool pool) {
		Duration threshold = pool.getLeakDetectionThreshold();
		return (threshold != null) ? threshold : this.responseTimeout.multipliedBy(2);
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

		/**
		 * Background eviction period in effect: the configured one, or half of max-idle-time.
		 * @return the eviction period
		 */
		public Duration effectiveEvictionInterval() {
			return (this.evictionInterval != null) ? this.evictionInterval : this.maxIdleTime.dividedBy(2);
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
	 * TCP keep-alive probes on client sockets, so that a peer or a NAT that silently dropped
	 * the flow is noticed.
	 */
	public static class TcpKeepAlive {

		/**
		 * Whether TCP keep-alive probes are sent on idle connections.
		 */
		private boolean enabled = true;

		/**
		 * Idle time before the first probe (whole seconds).
		 */
		private Duration idle = Duration.ofSeconds(30);

		/**
		 * Time between probes (whole seconds).
		 */
		private Duration interval = Duration.ofSeconds(10);

		/**
		 * Unanswered probes after which the connection is dropped.
		 */
		private int count = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getIdle() {
			return this.idle;
		}

		public void setIdle(Duration idle) {
			this.idle = idle;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getCount() {
			return this.count;
		}

		public void setCount(int count) {
			this.count = count;
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
	 * Settings of one remote host that differ from the client's.
	 */
	public static class Host {

		private final Pool pool = new Pool();

		public Pool getPool() {
			return this.pool;
		}

	}

}
