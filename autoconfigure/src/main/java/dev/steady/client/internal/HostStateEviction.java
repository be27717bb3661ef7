package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.List;
import java.util.function.Supplier;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Drops what Steady keeps of a remote host for a client (idle-limit lessons and proofs, the
 * host's idle-close burst once no client keeps it, stale suspects, retry budgets) when
 * Reactor Netty disposes the client's pool of that host, which it does once the host has
 * been unused for {@code steady.health.forget-after}. So what Steady keeps per host lives
 * as long as the host's pool, and never outnumbers the per-host pools the client has. It
 * works on the pool's deregistration, never on a request.
 */
public final class HostStateEviction implements SteadyClientObserver {

	private static final Log logger = LogFactory.getLog(HostStateEviction.class);

	private final LearnedIdleTimeouts learned;

	private final StaleConnectionSuspects suspects;

	private final Supplier<List<SteadyClientFilterFactory>> filterFactories;

	/**
	 * Create the eviction.
	 * @param learned what clients learned and proved of their hosts
	 * @param suspects the clients' stale suspects
	 * @param filterFactories the factories of the clients' filters, looked up when a host is
	 * first forgotten
	 */
	public HostStateEviction(LearnedIdleTimeouts learned, StaleConnectionSuspects suspects,
			Supplier<List<SteadyClientFilterFactory>> filterFactories) {
		this.learned = learned;
		this.suspects = suspects;
		this.filterFactories = filterFactories;
	}

	@Override
	public ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client) {
		return new ConnectionProvider.MeterRegistrar() {

			@Override
			public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
					ConnectionPoolMetrics metrics) {
			}

			@Override
			public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
				forgetHost(client.name(), remoteAddress);
			}

		};
	}

	@Override
	public HttpClient observe(ResolvedClient client, HttpClient httpClient) {
		return httpClient;
	}

	/**
	 * Forget what a client keeps of a host whose pool is gone.
	 * @param client the client's name
	 * @param pool the address Reactor Netty keyed the host's pool by
	 */
	void forgetHost(String client, SocketAddress pool) {
		this.learned.forgetHost(client, pool);
		this.suspects.forgetHost(client, pool);
		this.filterFactories.get().forEach((factory) -> factory.forgetHost(client, pool));
		if (logger.isDebugEnabled()) {
			logger.debug("Steady client '" + client + "': forgot what it kept of " + pool
					+ ", whose pool was unused for steady.health.forget-after");
		}
	}

}
