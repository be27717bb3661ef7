package dev.steady.autoconfigure.health.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Follows every lease of one client's connections, from the request being sent on it until
 * the connection goes back to the pool or closes: measures how long it was held and reports
 * a lease held longer than the leak detection threshold, once, at WARN, with the method and
 * URL (no query string) that holds it. Such a lease is closed only when
 * {@code leak-detection-close} is set.
 */
final class LeaseTracker {

	private static final Log logger = LogFactory.getLog(LeaseTracker.class);

	private static final AttributeKey<Lease> LEASE = AttributeKey.valueOf("steady.lease");

	private final ResolvedClient client;

	private final PoolEventListener listener;

	private final Set<Lease> suspected = ConcurrentHashMap.newKeySet();

	/** Threshold of the client's own pool, worked out once: Duration arithmetic allocates. */
	private final Duration clientThreshold;

	LeaseTracker(ResolvedClient client, PoolEventListener listener) {
		this.client = client;
		this.listener = listener;
		this.clientThreshold = client.settings().effectiveLeakDetectionThreshold(client.settings().pool());
	}

	HttpClient instrument(HttpClient httpClient) {
		return httpClient.doOnRequest(this::started).observe(this::stateChanged);
	}

	/**
	 * Leases of a host held longer than their threshold right now.
	 * @param host the remote host
	 * @return the count
	 */
	int suspectedLeaks(RemoteHost host) {
		return (int) this.suspected.stream().filter((lease) -> host.equals(lease.host())).count();
	}

	private void started(HttpClientRequest request, Connection connection) {
		Channel channel = connection.channel();
		Lease lease = new Lease(connection, request);
		Lease previous = channel.attr(LEASE).getAndSet(lease);
		if (previous != null) {
			ended(previous);
		}
		ClientSettings.Pool pool = pool(lease);
		Duration threshold = (pool == this.client.settings().pool()) ? this.clientThreshold
				: this.client.settings().effectiveLeakDetectionThreshold(pool);
		if (!threshold.isZero()) {
			lease.check = channel.eventLoop()
				.schedule(() -> check(channel, lease, threshold, pool.leakDetectionClose()), threshold.toNanos(),
						TimeUnit.NANOSECONDS);
		}
	}

	private ClientSettings.Pool pool(Lease lease) {
		RemoteHost host = this.client.hostPools().isEmpty() ? null : lease.host();
		return (host != null) ? this.client.pool(host.host(), host.port()) : this.client.settings().pool();
	}

	private void stateChanged(Connection connection, ConnectionObserver.State state) {
		if (state != ConnectionObserver.State.RELEASED && state != ConnectionObserver.State.DISCONNECTING) {
			return;
		}
		Channel channel = connection.channel();
		Lease lease = channel.attr(LEASE).get();
		if (lease != null && lease.connection == connection && channel.attr(LEASE).compareAndSet(lease, null)) {
			ended(lease);
		}
	}

	private void ended(Lease lease) {
		ScheduledFuture<?> check = lease.check;
		if (check != null) {
			check.cancel(false);
		}
		this.suspected.remove(lease);
		this.listener.leaseEnded(this.client.name(), Duration.ofNanos(System.nanoTime() - lease.startNanos));
	}

	private void check(Channel channel, Lease lease, Duration threshold, boolean close) {
		if (channel.attr(LEASE).get() != lease || !channel.isActive()) {
			return;
		}
		this.suspected.add(lease);
		this.listener.leakSuspected(this.client.name());
		String pool = this.client.propertyPrefix() + ".pool.";
		logger.warn("Suspected connection leak in Steady client '" + this.client.name() + "': "
				+ lease.request.method() + " " + lease.url() + " has held its connection for more than "
				+ threshold.toMillis() + "ms. Consume or release the response body (bodyToMono, toBodilessEntity, "
				+ "releaseBody)" + (close ? "; the connection is closed now." : ", or set " + pool
						+ "leak-detection-close=true to close such connections.")
				+ " Raise " + pool + "leak-detection-threshold if requests legitimately take this long.");
		if (close && channel.attr(LEASE).compareAndSet(lease, null)) {
			ended(lease);
			channel.close();
		}
	}

	/** One request's hold on a connection. */
	private static final class Lease {

		private final Connection connection;

		private final HttpClientRequest request;

		private final long startNanos = System.nanoTime();

		private volatile @Nullable ScheduledFuture<?> check;

		Lease(Connection connection, HttpClientRequest request) {
			this.connection = connection;
			this.request = request;
		}

		/** Parsed only when needed: most leases never are. */
		@Nullable RemoteHost host() {
			return RemoteHost.of(this.request.resourceUrl());
		}

		String url() {
			String url = this.request.resourceUrl();
			return (url != null) ? RemoteHost.withoutQuery(url) : this.request.path();
		}

	}

}
