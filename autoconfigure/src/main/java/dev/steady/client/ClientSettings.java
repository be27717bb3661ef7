package dev.steady.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.steady.tcp.TcpKeepAliveProperties;
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
