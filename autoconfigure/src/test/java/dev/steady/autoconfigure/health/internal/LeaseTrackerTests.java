package dev.steady.autoconfigure.health.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.steady.autoconfigure.client.ClientProperties;
import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leak detection without a server or a timer: leases on real (embedded) channels, a clock
 * moved by hand, and the periodic check run when the test says so.
 */
class LeaseTrackerTests {

	private static final long MILLIS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final String URL = "http://api.example:80/orders/42?token=secret";

	private static final RemoteHost HOST = new RemoteHost("api.example", 80);

	private final AtomicLong now = new AtomicLong(1_000_000 * MILLIS);

	private final List<Long> scheduledDelays = new ArrayList<>();

	private final List<Runnable> scheduledChecks = new ArrayList<>();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final List<EmbeddedChannel> channels = new ArrayList<>();

	@AfterEach
	void closeChannels() {
		this.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
	}

	@Test
	void leaseHeldPastItsThresholdIsReportedOnceAndEndsTimed() {
		LeaseTracker tracker = defaultTracker();
		Connection connection = leased(tracker);
		advance(150);
		runScheduledCheck();
		assertThat(leaksCounted()).isZero();
		advance(100);
		runScheduledCheck();
		assertThat(leaksCounted()).isEqualTo(1);
		assertThat(tracker.suspectedLeaks(HOST)).isEqualTo(1);
		assertThat(tracker.suspectedLeaks(new RemoteHost("other.example", 80))).isZero();
		advance(100);
		runScheduledCheck();
		assertThat(leaksCounted()).isEqualTo(1);
		tracker.released(connection);
		assertThat(tracker.suspectedLeaks(HOST)).isZero();
		assertThat(leaseDurations().count()).isEqualTo(1);
		assertThat(leaseDurations().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(350);
		assertThat(connection.channel().isActive()).isTrue();
	}

	@Test
	void requestsScheduleOneCheckAtAQuarterOfTheThresholdNotATimerEach() {
		LeaseTracker tracker = defaultTracker();
		Connection first = connection();
		Connection second = connection();
		for (int i = 0; i < 1000; i++) {
			Connection connection = (i % 2 == 0) ? first : second;
			tracker.started(connection, "GET", URL);
			advance(1);
			tracker.released(connection);
		}
		assertThat(this.scheduledDelays).containsExactly(50 * MILLIS);
		assertThat(leaseDurations().count()).isEqualTo(1000);
	}

	@Test
	void checkStopsWhenNoLeaseIsHeldAndTheNextLeaseStartsItAgain() {
		LeaseTracker tracker = defaultTracker();
		Connection connection = leased(tracker);
		runScheduledCheck();
		assertThat(this.scheduledChecks).hasSize(1);
		tracker.released(connection);
		runScheduledCheck();
		assertThat(this.scheduledChecks).isEmpty();
		tracker.started(connection, "GET", URL);
		assertThat(this.scheduledChecks).hasSize(1);
	}

	@Test
	void closedConnectionIsNoLongerWatched() {
		LeaseTracker tracker = defaultTracker();
		Connection connection = leased(tracker);
		connection.channel().close();
		advance(500);
		runScheduledCheck();
		assertThat(leaksCounted()).isZero();
		assertThat(this.scheduledChecks).isEmpty();
	}

	@Test
	void eachHostIsHeldToItsOwnThresholdAndTheShortestSetsThePeriod() {
		ClientSettings.Pool slowHost = pool(Duration.ofMillis(80), false);
		LeaseTracker tracker = tracker(client(pool(Duration.ofMillis(200), false),
				Map.of(InetSocketAddress.createUnresolved("api.example", 80), slowHost)));
		tracker.started(connection(), "GET", URL);
		tracker.started(connection(), "GET", "http://other.example:80/");
		assertThat(this.scheduledDelays).containsExactly(20 * MILLIS);
		advance(100);
		runScheduledCheck();
		assertThat(tracker.suspectedLeaks(HOST)).isEqualTo(1);
		assertThat(tracker.suspectedLeaks(new RemoteHost("other.example", 80))).isZero();
		advance(150);
		runScheduledCheck();
		assertThat(tracker.suspectedLeaks(new RemoteHost("other.example", 80))).isEqualTo(1);
		assertThat(leaksCounted()).isEqualTo(2);
	}

	@Test
	void leakDetectionCloseClosesTheConnectionAndEndsItsLease() {
		LeaseTracker tracker = tracker(client(pool(Duration.ofMillis(200), true)));
		Connection connection = connection();
		tracker.started(connection, "GET", URL);
		advance(201);
		runScheduledCheck();
		assertThat(connection.channel().isActive()).isFalse();
		assertThat(leaksCounted()).isEqualTo(1);
		assertThat(tracker.suspectedLeaks(HOST)).isZero();
		assertThat(leaseDurations().count()).isEqualTo(1);
		assertThat(this.scheduledChecks).isEmpty();
	}

	@Test
	void zeroThresholdSchedulesNoCheckButLeasesAreStillTimed() {
		LeaseTracker tracker = tracker(client(pool(Duration.ZERO, false)));
		Connection connection = connection();
		tracker.started(connection, "GET", URL);
		advance(10_000);
		tracker.released(connection);
		assertThat(this.scheduledDelays).isEmpty();
		assertThat(leaseDurations().count()).isEqualTo(1);
	}

	@Test
	void aNewRequestOnTheSameConnectionEndsThePreviousLease() {
		LeaseTracker tracker = defaultTracker();
		Connection connection = leased(tracker);
		advance(150);
		tracker.started(connection, "GET", URL);
		advance(150);
		runScheduledCheck();
		assertThat(leaksCounted()).isZero();
		assertThat(leaseDurations().count()).isEqualTo(1);
	}

	/** A tracker of a client with a threshold of 200 ms, which only reports leaks. */
	private LeaseTracker defaultTracker() {
		return tracker(client(pool(Duration.ofMillis(200), false)));
	}

	/** A connection the default tracker saw a request sent on. */
	private Connection leased(LeaseTracker tracker) {
		Connection connection = connection();
		tracker.started(connection, "GET", URL);
		return connection;
	}

	private LeaseTracker tracker(ResolvedClient client) {
		return new LeaseTracker(client, new MicrometerPoolMeters(this.meters), this.now::get,
				(channel, check, delayNanos) -> {
					this.scheduledDelays.add(delayNanos);
					this.scheduledChecks.add(check);
				});
	}

	private void runScheduledCheck() {
		assertThat(this.scheduledChecks).hasSize(1);
		this.scheduledChecks.remove(0).run();
	}

	private void advance(long millis) {
		this.now.addAndGet(millis * MILLIS);
	}

	private Connection connection() {
		EmbeddedChannel channel = new EmbeddedChannel();
		this.channels.add(channel);
		return Connection.from(channel);
	}

	private double leaksCounted() {
		Counter counter = this.meters.find(MicrometerPoolMeters.LEASES_LEAKED).tag("client", "default").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Timer leaseDurations() {
		return this.meters.get(MicrometerPoolMeters.LEASE_DURATION).tag("client", "default").timer();
	}

	private static ClientSettings.Pool pool(@Nullable Duration leakDetectionThreshold, boolean close) {
		ClientProperties.Pool pool = new ClientProperties.Pool();
		pool.setLeakDetectionThreshold(leakDetectionThreshold);
		pool.setLeakDetectionClose(close);
		return pool.toSettings();
	}

	private static ResolvedClient client(ClientSettings.Pool pool) {
		return client(pool, Map.of());
	}

	private static ResolvedClient client(ClientSettings.Pool pool, Map<InetSocketAddress, ClientSettings.Pool> hosts) {
		ClientProperties properties = new ClientProperties();
		ClientSettings settings = new ClientSettings(properties.getConnectTimeout(), properties.getResponseTimeout(),
				true, pool, properties.getTcpKeepAlive().toOptions(), new ClientSettings.Ssl(null, Duration.ofSeconds(10)),
				properties.getRetry().toSettings(), properties.getProtocols(),
				properties.getHttp2().toSettings(properties.getPool()));
		return new ResolvedClient("default", "steady.client-defaults", settings, hosts, null);
	}

}
