package dev.steady.sample.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample's demonstration.
 */
@ConfigurationProperties("sample.demo")
public class DemoProperties {

	/**
	 * Whether the comparison runs once at startup and prints its table on the console.
	 */
	private boolean compareOnStart;

	private final Upstream upstream = new Upstream();

	public boolean isCompareOnStart() {
		return this.compareOnStart;
	}

	public void setCompareOnStart(boolean compareOnStart) {
		this.compareOnStart = compareOnStart;
	}

	public Upstream getUpstream() {
		return this.upstream;
	}

	/**
	 * The unfriendly upstream embedded in the sample.
	 */
	public static class Upstream {

		/**
		 * Loopback port of the upstream; 0 picks a free one.
		 */
		private int port;

		/**
		 * Idle time after which the upstream silently forgets a keep-alive connection: a
		 * request arriving on it later is dropped unanswered, as behind a load balancer.
		 */
		private Duration idleTimeout = Duration.ofSeconds(1);

		/**
		 * Whether a request arriving on a forgotten connection is executed before the
		 * connection is dropped unanswered (a backend that ran it behind a proxy that lost
		 * the answer), so that a client resending it executes it twice.
		 */
		private boolean executeBeforeDropping;

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public boolean isExecuteBeforeDropping() {
			return this.executeBeforeDropping;
		}

		public void setExecuteBeforeDropping(boolean executeBeforeDropping) {
			this.executeBeforeDropping = executeBeforeDropping;
		}

	}

}
