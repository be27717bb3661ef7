package dev.steady.autoconfigure.health.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientState;

/**
 * Follows every lease of one client's connections, from the request being sent on it until
 * the connection goes back to the pool or closes: measures how long it was held and reports
 * a lease held longer than the leak detection threshold, once, at WARN, with the method and
 * URL (no query string) that holds it. Such a lease is closed only when
 * {@code leak-detection-close} is set.
 * <p>
 * A request only notes its lease on its connection: no timer is scheduled or cancelled per
 * request, no set is updated and no URL is built (it is read from the request only when
 * the lease is reported). One check per client looks at the connections that carry a lease, every quarter
 * of the shortest threshold of the client's pools, for as long as any lease is held; a leak
 * is therefore reported between one and one and a quarter thresholds after its request.
 */
final class LeaseTracker {

	private static final Log logger = LogFactory.getLog(LeaseTracker.class);

	private static final AttributeKey<Lease> LEASE = AttributeKey.valueOf("steady.lease");

	/** Left on a connection whose lease ended: a connection without the attribute was never leased. */
	private static final Lease NO_LEASE = new Lease(null, null, "", null, 0);

	/** Shortest period of the check, whatever the thresholds. */
	private static final long MIN_CHECK_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final ResolvedClient client;

	private final PoolEventListener listener;

	private final LongSupplier nanoClock;

	private final CheckScheduler scheduler;

	/** Period of the check, or 0 when every pool of the client has leak detection off. */
	private final long checkPeriodNanos;

	/** Open connections of this client that carried a lease. */
	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private final Set<Lease> suspected = ConcurrentHashMap.newKeySet();

	/** Whether a check is scheduled; cleared by the check before it looks at the leases. */
	private volatile boolean checkScheduled;

	LeaseTracker(ResolvedClient client, PoolEventListener listener) {
		this(client, listener, System::nanoTime, CheckScheduler.ON_EVENT_LOOP);
	}

	LeaseTracker(ResolvedClient client, PoolEventListener listener, LongSupplier nanoClock,
			CheckScheduler scheduler) {
		this.client = client;
		this.listener = listener;
		this.nanoClock = nanoClock;
		this.scheduler = scheduler;
		this.checkPeriodNanos = checkPeriodNanos(client);
	}

	private static long checkPeriodNanos(ResolvedClient client) {
		long shortest = thresholdNanos(client, client.settings().pool());
		for (ClientSettings.Pool pool : client.hostPools().values()) {
			long threshold = thresholdNanos(client, pool);
			if (threshold > 0 && (shortest == 0 || threshold < shortest)) {
				shortest = threshold;
			}
		}
		return (shortest > 0) ? Math.max(shortest / 4, MIN_CHECK_PERIOD_NANOS) : 0;
	}

	private static long thresholdNanos(ResolvedClient client, ClientSettings.Pool pool) {
		return client.settings().effectiveLeakDetectionThreshold(pool).toNanos();
	}

	/**
	 * Follow the leases of the client's requests, through one observer of the connections.
	 * @param httpClient the client's HTTP client
	 * @return the HTTP client that reports its leases here
	 */
	HttpClient instrument(HttpClient httpClient) {
		return httpClient.observe(this::stateChanged);
	}

	/**
	 * Leases of a host held longer than their threshold right now.
	 * @param host the remote host
	 * @return the count
	 */
	int suspectedLeaks(RemoteHost host) {
		return (int) this.suspected.stream().filter((lease) -> host.equals(lease.host())).count();
	}


	/**
	 * A request was sent on a connection: it holds the connection until the connection is
	 * released or closes.
	 * @param connection the connection
	 * @param method the request's method
	 * @param url the request's URL
	 */
	void started(Connection connection, String method, String url) {
		started(connection, new Lease(connection, method, url, this.nanoClock.getAsLong()));
	}

	private void started(Connection connection, Lease lease) {
		Channel channel = connection.channel();
		Lease previous = channel.attr(LEASE).getAndSet(lease);
		if (previous != null && previous != NO_LEASE) {
			ended(previous);
		}
		if (this.checkPeriodNanos == 0) {
			return;
		}
		if (previous == null) {
			// the connection's first lease: ended leases leave NO_LEASE behind, not null
			this.connections.add(channel);
			channel.closeFuture().addListener((future) -> this.connections.remove(channel));
		}
		if (!this.checkScheduled) {
			scheduleCheck(channel);
		}
	}

	private void scheduleCheck(Channel channel) {
		this.checkScheduled = true;
		try {
			this.scheduler.schedule(channel, this::checkLeases, this.checkPeriodNanos);
		}
		catch (RejectedExecutionException ex) {
			// the event loop is shutting down, and its connections with it; the next lease schedules again
			this.checkScheduled = false;
		}
	}

	private void stateChanged(Connection connection, ConnectionObserver.State state) {
		if (state == HttpClientState.REQUEST_PREPARED) {
			Object operations = (connection instanceof HttpClientRequest) ? connection
					: ChannelOperations.get(connection.channel());
			if (operations instanceof HttpClientRequest request) {
				started(connection, new Lease(connection, request, this.nanoClock.getAsLong()));
			}
		}
		else if (state == ConnectionObserver.State.RELEASED || state == ConnectionObserver.State.DISCONNECTING) {
			released(connection);
		}
	}

	/**
	 * A connection went back to the pool, or is closing: the lease on it, if any, ends.
	 * @param connection the connection
	 */
	void released(Connection connection) {
		Channel channel = connection.channel();
		Lease lease = channel.attr(LEASE).get();
		if (lease != null && lease.connection == connection && channel.attr(LEASE).compareAndSet(lease, NO_LEASE)) {
			ended(lease);
		}
	}

	private void ended(Lease lease) {
		if (lease.reported) {
			this.suspected.remove(lease);
		}
		this.listener.leaseEnded(this.client.name(), this.nanoClock.getAsLong() - lease.startNanos);
	}

	/**
	 * Report every lease held longer than its pool's threshold and not reported yet, and
	 * schedule the next check if any lease is still held.
	 */
	void checkLeases() {
		// cleared first: a lease that starts from now on schedules a check of its own if this one stops
		this.checkScheduled = false;
		long now = this.nanoClock.getAsLong();
		Map<ClientSettings.Pool, Duration> thresholds = new HashMap<>();
		Channel anyLeased = null;
		for (Channel channel : this.connections) {
			Lease lease = channel.attr(LEASE).get();
			if (lease == null || lease == NO_LEASE || !channel.isActive()) {
				continue;
			}
			if (!lease.reported) {
				ClientSettings.Pool pool = pool(lease);
				Duration threshold = thresholds.computeIfAbsent(pool,
						(key) -> this.client.settings().effectiveLeakDetectionThreshold(key));
				if (!threshold.isZero() && now - lease.startNanos > threshold.toNanos()) {
					suspect(channel, lease, threshold, pool.leakDetectionClose());
				}
			}
			Lease current = channel.attr(LEASE).get();
			if (current != null && current != NO_LEASE) {
				anyLeased = channel;
			}
		}
		if (anyLeased != null && !this.checkScheduled) {
			scheduleCheck(anyLeased);
		}
	}

	private ClientSettings.Pool pool(Lease lease) {
		RemoteHost host = this.client.hostPools().isEmpty() ? null : lease.host();
		return (host != null) ? this.client.pool(host.host(), host.port()) : this.client.settings().pool();
	}

	private void suspect(Channel channel, Lease lease, Duration threshold, boolean close) {
		lease.reported = true;
		this.suspected.add(lease);
		if (channel.attr(LEASE).get() != lease) {
			// the lease ended meanwhile
			this.suspected.remove(lease);
		}
		this.listener.leakSuspected(this.client.name());
		String pool = this.client.propertyPrefix() + ".pool.";
		logger.warn("Suspected connection leak in Steady client '" + this.client.name() + "': " + lease.method + " "
				+ RemoteHost.withoutQuery(lease.url()) + " has held its connection for more than " + threshold.toMillis()
				+ "ms. Consume or release the response body (bodyToMono, toBodilessEntity, releaseBody)"
				+ (close ? "; the connection is closed now."
						: ", or set " + pool + "leak-detection-close=true to close such connections.")
				+ " Raise " + pool + "leak-detection-threshold if requests legitimately take this long.");
		if (close && channel.attr(LEASE).compareAndSet(lease, NO_LEASE)) {
			ended(lease);
			channel.close();
		}
	}

	/** Runs the check of a client's leases later. */
	@FunctionalInterface
	interface CheckScheduler {

		/** Runs the check on the event loop of the connection whose lease needed it. */
		CheckScheduler ON_EVENT_LOOP = (channel, check, delayNanos) -> channel.eventLoop()
			.schedule(check, delayNanos, TimeUnit.NANOSECONDS);

		/**
		 * Run the check once, after a delay.
		 * @param channel the connection whose lease needs the check
		 * @param check the check
		 * @param delayNanos the delay in nanoseconds
		 * @throws RejectedExecutionException if the check cannot be scheduled
		 */
		void schedule(Channel channel, Runnable check, long delayNanos);

	}

	/** One request's hold on a connection. */
	private static final class Lease {

		private final @Nullable Connection connection;

		private final @Nullable HttpClientRequest request;

		private final String method;

		private final @Nullable String url;

		private final long startNanos;

		/** Set by the check that reports the lease. */
		private volatile boolean reported;

		Lease(Connection connection, String method, String url, long startNanos) {
			this(connection, null, method, url, startNanos);
		}

		Lease(Connection connection, HttpClientRequest request, long startNanos) {
			this(connection, request, request.method().name(), null, startNanos);
		}

		private Lease(@Nullable Connection connection, @Nullable HttpClientRequest request, String method,
				@Nullable String url, long startNanos) {
			this.connection = connection;
			this.request = request;
			this.method = method;
			this.url = url;
			this.startNanos = startNanos;
		}

		/** Built only when needed: most leases never are. */
		String url() {
			if (this.url != null || this.request == null) {
				return String.valueOf(this.url);
			}
			String url = this.request.resourceUrl();
			return (url != null) ? url : this.request.uri();
		}

		/** Parsed only when needed: most leases never are. */
		@Nullable RemoteHost host() {
			return RemoteHost.of(url());
		}

	}

}
