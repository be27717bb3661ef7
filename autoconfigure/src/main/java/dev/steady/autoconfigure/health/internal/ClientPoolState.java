package dev.steady.autoconfigure.health.internal;

import java.net.SocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.steady.client.internal.PoolFailures;
import dev.steady.client.ResolvedClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientInfos;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * The per-host pools of one client, registered by Reactor Netty as it creates and disposes
 * them, with the acquire timeouts and premature closes seen on each and the leases held.
 * At most {@code maxHosts} pools are followed at once, so that a client calling many hosts
 * keeps its health details and {@code remote.address} meter tags bounded.
 */
public final class ClientPoolState implements ConnectionProvider.MeterRegistrar {

	private static final Log logger = LogFactory.getLog(ClientPoolState.class);



	private final ResolvedClient client;

	private final int maxHosts;

	private final PoolEventListener listener;

	/** Built with the client's HTTP client, on its first use: a client never called tracks no lease. */
	private volatile @Nullable LeaseTracker leases;

	private final Map<String, HostPoolState> pools = new ConcurrentHashMap<>();

	private final AtomicBoolean overflowReported = new AtomicBoolean();

	ClientPoolState(ResolvedClient client, int maxHosts, PoolEventListener listener) {
		this.client = client;
		this.maxHosts = maxHosts;
		this.listener = listener;
	}

	/**
	 * Effective settings of the client.
	 * @return the settings
	 */
	public ResolvedClient client() {
		return this.client;
	}

	/**
	 * State of every followed per-host pool now, by host.
	 * @return one snapshot per pool
	 */
	public List<PoolSnapshot> snapshots() {
		long now = System.nanoTime();
		return this.pools.values()
			.stream()
			.map((pool) -> pool.snapshot(now, suspectedLeaks(pool.remoteHost())))
			.sorted(Comparator.comparing(PoolSnapshot::host))
			.toList();
	}

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		if (this.pools.size() >= this.maxHosts) {
			if (this.overflowReported.compareAndSet(false, true)) {
				logger.warn("Steady client '" + this.client.name() + "' has pools for " + this.maxHosts
						+ " remote hosts; the pools of further hosts work but are left out of health and metrics. "
						+ "Raise steady.health.max-hosts to follow more.");
			}
			return;
		}
		RemoteHost host = RemoteHost.of(remoteAddress);
		HostPoolState pool = new HostPoolState(this.client.name(), poolName, id, host, metrics,
				this.client.pool(host.host(), host.port()).maxIdleTime(), this.client.settings().http2().maxConnections());
		if (this.pools.putIfAbsent(id, pool) == null) {
			this.listener.poolAdded(pool);
		}
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		HostPoolState pool = this.pools.remove(id);
		if (pool != null) {
			this.listener.poolRemoved(pool);
		}
	}

	HttpClient instrument(HttpClient httpClient) {
		return leases().instrument(httpClient).doOnError(this::failed, this::failed);
	}

	private LeaseTracker leases() {
		LeaseTracker leases = this.leases;
		if (leases == null) {
			synchronized (this) {
				leases = this.leases;
				if (leases == null) {
					leases = new LeaseTracker(this.client, this.listener);
					this.leases = leases;
				}
			}
		}
		return leases;
	}

	private int suspectedLeaks(RemoteHost host) {
		LeaseTracker leases = this.leases;
		return (leases != null) ? leases.suspectedLeaks(host) : 0;
	}

	private void failed(HttpClientInfos request, Throwable failure) {
		Throwable poolFailure = PoolFailures.find(failure);
		boolean acquireTimeout = poolFailure != null && PoolFailures.isAcquireTimeout(poolFailure);
		if (!acquireTimeout && !closedPrematurely(failure)) {
			return;
		}
		RemoteHost host = RemoteHost.of(url(request));
		long now = System.nanoTime();
		this.pools.values().stream().filter((pool) -> pool.remoteHost().equals(host)).forEach((pool) -> {
			if (acquireTimeout) {
				pool.acquireTimedOut(now);
			}
			else {
				pool.closedPrematurely(now);
			}
		});
	}

	private static boolean closedPrematurely(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof PrematureCloseException) {
				return true;
			}
		}
		return false;
	}

	/** The URL of a request: in full for a sent one, as given for one that found no connection. */
	private static String url(HttpClientInfos request) {
		String resourceUrl = request.resourceUrl();
		return (resourceUrl != null) ? resourceUrl : request.uri();
	}


}
