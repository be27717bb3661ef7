package dev.steady.autoconfigure.client;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Steady's global pool properties: {@code steady.global.*} decides whether hand-made clients
 * ({@code WebClient.create()}, {@code WebClient.builder().build()}, {@code HttpClient.create()})
 * get a Steady pool in place of Reactor Netty's global one.
 *
 * @since 0.2.0
 */
@ConfigurationProperties("steady.global")
public class SteadyGlobalProperties {

	/**
	 * Whether Reactor Netty's global connection pool, used by hand-made clients, is replaced
	 * at startup by a Steady pool with steady.client-defaults.pool.* settings, shown as client
	 * 'global'. When false, the global pool is left untouched.
	 */
	private boolean enabled = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
