package dev.steady.autoconfigure.health;

import java.time.Duration;


import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * When Steady reports a pool as saturated, and how long it remembers remote hosts.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("steady.health")
public class SteadyHealthProperties {

	/**
	 * How long a pool may have every connection in use with requests waiting for one before
	 * it is reported SATURATED. Checked each time health is read.
	 */
	private Duration saturatedAfter = Duration.ofSeconds(2);

	/**
	 * Requests that gave up waiting for a connection (acquire timeouts) within the last
	 * minute that make a pool with every connection in use SATURATED at once.
	 */
	private int acquireTimeouts = 1;

	/**
	 * Time after which the pool of a remote host that has not been used is closed and drops
	 * out of health, the steady endpoint and the meters, and what each client learned of the
	 * host (idle-limit lessons and proofs, stale suspects, retry budget) is dropped with it
	 * (whole seconds).
	 */
	private Duration forgetAfter = Duration.ofMinutes(10);

	/**
	 * Most remote hosts followed per client in health, the steady endpoint and the pool
	 * meters, which bounds the remote.address tag. Pools of further hosts work as usual.
	 */
	private int maxHosts = 100;

	public Duration getSaturatedAfter() {
		return this.saturatedAfter;
	}

	public void setSaturatedAfter(Duration saturatedAfter) {
		this.saturatedAfter = saturatedAfter;
	}

	public int getAcquireTimeouts() {
		return this.acquireTimeouts;
	}

	public void setAcquireTimeouts(int acquireTimeouts) {
		this.acquireTimeouts = acquireTimeouts;
	}

	public Duration getForgetAfter() {
		return this.forgetAfter;
	}

	public void setForgetAfter(Duration forgetAfter) {
		this.forgetAfter = forgetAfter;
	}

	public int getMaxHosts() {
		return this.maxHosts;
	}

	public void setMaxHosts(int maxHosts) {
		this.maxHosts = maxHosts;
	}

	/**
	 * The saturation thresholds, checked.
	 * @return when a pool counts as saturated
	 * @throws InvalidConfigurationPropertyValueException on a value out of range
	 */
	SaturationRule saturationRule() {
		if (this.saturatedAfter.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("steady.health.saturated-after", this.saturatedAfter,
					"Use 0 or a positive duration, such as 2s.");
		}
		atLeastOne("steady.health.acquire-timeouts", this.acquireTimeouts);
		return new SaturationRule(this.saturatedAfter, this.acquireTimeouts);
	}

	/**
	 * Most hosts per client, checked.
	 * @return the maximum
	 * @throws InvalidConfigurationPropertyValueException when below 1
	 */
	int checkedMaxHosts() {
		atLeastOne("steady.health.max-hosts", this.maxHosts);
		return this.maxHosts;
	}

	/**
	 * Time after which an unused host's pool is closed, checked.
	 * @return the time
	 * @throws InvalidConfigurationPropertyValueException when below one second
	 */
	Duration checkedForgetAfter() {
		if (this.forgetAfter.toSeconds() < 1) {
			throw new InvalidConfigurationPropertyValueException("steady.health.forget-after", this.forgetAfter,
					"Reactor Netty measures pool inactivity in whole seconds; use 1s or more, such as 10m.");
		}
		return this.forgetAfter;
	}

	private static void atLeastOne(String name, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value, "It must be at least 1.");
		}
	}

}
