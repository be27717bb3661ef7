package dev.steady.tcp;

import java.time.Duration;

/**
 * TCP keep-alive properties shared by Steady's client and server property groups. Each
 * declares the idle time itself, as the two defaults differ.
 *
 * @since 0.1.0
 */
public abstract class TcpKeepAliveProperties {

	/**
	 * Whether TCP keep-alive probes are sent on idle connections.
	 */
	private boolean enabled = true;

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

	/**
	 * Idle time before the first probe.
	 * @return the idle time
	 */
	public abstract Duration getIdle();

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

	/**
	 * The socket options these properties describe.
	 * @return the options
	 */
	public TcpKeepAliveOptions toOptions() {
		return new TcpKeepAliveOptions(this.enabled, getIdle(), this.interval, this.count);
	}

}
