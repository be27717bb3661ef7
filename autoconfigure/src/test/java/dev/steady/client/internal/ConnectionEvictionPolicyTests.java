package dev.steady.client.internal;

import java.net.SocketAddress;
import java.time.Duration;

import dev.steady.autoconfigure.client.ClientProperties;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle limit of {@link ConnectionEvictionPolicy} on a real (embedded) channel with a
 * controllable clock: max-idle-time, Keep-Alive hint and its margin, the learned limit, the
 * request count, and, at the last moment, reuse of proven idle times only by requests that
 * must not be sent twice.
 */
class ConnectionEvictionPolicyTests {

	private static final long NOW = 1_000_000L;

	private static final String CLIENT = "test";

	private final ClientProperties.Pool pool = new ClientProperties.Pool();

	private final LearnedIdleTimeouts learned = new LearnedIdleTimeouts();

	private final StaleConnectionSuspects suspects = new StaleConnectionSuspects();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final Connection connection = Connection.from(this.channel);

	private final SocketAddress remote = this.channel.remoteAddress();

	private final ConnectionHistory history = ConnectionHistory.keep(this.channel, null);

	/** What the kernel answers: milliseconds since the channel last received data. */
	private long sinceDataArrived = KernelTcpState.UNKNOWN;

	@AfterEach
	void closeChannel() {
		this.channel.close();
	}

	@Test
	void maxIdleTimeIsTheLimitWithoutHintOrLearning() {
		this.pool.setMaxIdleTime(Duration.ofMillis(4000));
		assertThat(evicts(countingSurvival(), 3999)).isFalse();
		assertThat(evicts(countingSurvival(), 4000)).isTrue();
	}

	@Test
	void keepAliveHintLessMarginReplacesMaxIdleTime() {
		this.history.keepAliveHint(5_000);
		this.pool.setKeepAliveHintMargin(Duration.ofMillis(1500));
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(3500);
		this.pool.setHonorKeepAliveHints(false);
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(4000);
	}

	@Test
	void keepAliveHintIsCappedAndNeverNegative() {
		this.history.keepAliveHint(3600_000);
		this.pool.setMaxKeepAliveHint(Duration.ofSeconds(60));
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(59_000);
		this.history.keepAliveHint(1_000);
		this.pool.setKeepAliveHintMargin(Duration.ofSeconds(2));
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isZero();
	}

	@Test
	void learnedStaleIdleLowersTheLimitByTheLearnFactorButNotBelowTheMinimum() {
		this.learned.staleAfterIdle(CLIENT, this.remote, 1000);
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(800);
		this.learned.staleAfterIdle(CLIENT, this.remote, 50);
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(100);
		this.pool.setLearnIdleTimeout(false);
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(4000);
	}

	@Test
	void idleTimeCountsFromTheLastReadWhenThatIsEarlierThanTheRelease() {
		this.history.readAt(NOW - 4000);
		assertThat(countingSurvival().test(this.connection, new Metadata(1, 10, NOW - 10))).isTrue();
	}

	@Test
	void connectionIsRetiredAfterMaxRequests() {
		this.pool.setMaxRequestsPerConnection(5);
		assertThat(countingSurvival().test(this.connection, new Metadata(4, 0, NOW))).isFalse();
		assertThat(countingSurvival().test(this.connection, new Metadata(5, 0, NOW))).isTrue();
	}

	@Test
	void closedConnectionIsEvicted() {
		this.channel.close();
		assertThat(countingSurvival().test(this.connection, new Metadata(1, 0, NOW))).isTrue();
	}

	@Test
	void unprovenIdleTimeBeyondTheFloorIsNotReusedByRequestsThatMustNotBeSentTwice() {
		assertThat(rejects(strict(), 50)).isFalse();
		assertThat(rejects(strict(), 51)).isTrue();
		assertThat(rejects(countingSurvival(), 51)).isTrue();
		assertThat(this.learned.provenOf(CLIENT).get(this.remote).freshConnections()).isEqualTo(2);
	}

	@Test
	void connectionReadLateIsJudgedByWhenItsDataArrived() {
		// used at NOW - 400, answered then, read only at NOW - 10 by a loop kept off the CPU
		this.history.acquired(NOW - 400);
		this.sinceDataArrived = 390;
		assertThat(rejects(strict(), 10)).isTrue();
		assertThat(this.learned.provenOf(CLIENT).get(this.remote).freshConnections()).isEqualTo(1);
		// the read may use up the floor's margin: up to twice the floor as the server saw it
		this.sinceDataArrived = 101;
		assertThat(rejects(strict(), 10)).isTrue();
		this.sinceDataArrived = 100;
		assertThat(rejects(strict(), 10)).isFalse();
	}

	@Test
	void connectionReadLateMayReachTheProvenIdleTimeAsTheServerSawIt() {
		this.learned.provenIdle(CLIENT, this.remote).provedSafe(500);
		this.history.acquired(NOW - 600);
		this.sinceDataArrived = 501;
		assertThat(rejects(strict(), 10)).isTrue();
		this.sinceDataArrived = 500;
		assertThat(rejects(strict(), 10)).isFalse();
	}

	@Test
	void kernelIsNotAskedWhenTheWholeUseIsWithinTheLimit() {
		this.history.acquired(NOW - 50);
		this.sinceDataArrived = 1000;
		assertThat(rejects(strict(), 10)).isFalse();
		this.history.acquired(NOW - 51);
		assertThat(rejects(strict(), 10)).isTrue();
	}

	@Test
	void lastReadDecidesWhereTheKernelCannotTell() {
		this.history.acquired(NOW - 400);
		assertThat(rejects(strict(), 10)).isFalse();
		assertThat(rejects(strict(), 51)).isTrue();
	}

	@Test
	void poolKeepsUnprovenIdleConnectionsForRequestsThatAreRetried() {
		assertThat(evicts(strict(), 3999)).isFalse();
		assertThat(this.learned.provenOf(CLIENT)).isEmpty();
	}

	@Test
	void provenIdleTimeTimesTheLearnFactorIsReused() {
		this.learned.provenIdle(CLIENT, this.remote).provedSafe(1000);
		assertThat(strict().provenIdleLimitMillis(this.remote)).isEqualTo(800);
		assertThat(rejects(strict(), 800)).isFalse();
		assertThat(rejects(strict(), 801)).isTrue();
	}

	@Test
	void announcedIdleTimeoutLessTheMarginIsAsGoodAsAProof() {
		this.history.keepAliveHint(2_000);
		assertThat(rejects(strict(), 999)).isFalse();
		assertThat(rejects(strict(), 1000)).isTrue();
		this.pool.setHonorKeepAliveHints(false);
		assertThat(rejects(strict(), 51)).isTrue();
	}

	@Test
	void staleFailureAfterAProvenIdleTimeWithdrawsTheProof() {
		this.learned.provenIdle(CLIENT, this.remote).provedSafe(1000);
		this.learned.staleAfterIdle(CLIENT, this.remote, 900);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isZero();
		assertThat(strict().provenIdleLimitMillis(this.remote)).isEqualTo(50);
	}

	@Test
	void staleFailureAfterLongerThanProvenKeepsTheProof() {
		this.learned.provenIdle(CLIENT, this.remote).provedSafe(500);
		this.learned.staleAfterIdle(CLIENT, this.remote, 900);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isEqualTo(500);
	}

	@Test
	void whatOneClientProvedOfAHostEveryClientReliesOn() {
		this.learned.provenIdle("with-retry", this.remote).provedSafe(1000);
		assertThat(rejects(strict(), 800)).isFalse();
		assertThat(rejects(strict(), 1000)).isTrue();
	}

	@Test
	void staleFailureSeenByOneClientWithdrawsTheProofsOfAll() {
		this.learned.provenIdle("with-retry", this.remote).provedSafe(1000);
		this.learned.staleAfterIdle("other", this.remote, 900);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isZero();
		assertThat(rejects(strict(), 800)).isTrue();
	}

	@Test
	void connectionGrownTooIdleSinceThePoolCheckIsRefusedWhenTaken() {
		this.history.readAt(NOW - 400);
		assertThat(strict().refuseOnAcquire(this.connection)).isEqualTo(ConnectionEvictionPolicy.Refusal.TOO_IDLE);
		this.history.readAt(NOW - 40);
		assertThat(strict().refuseOnAcquire(this.connection)).isEqualTo(ConnectionEvictionPolicy.Refusal.NONE);
	}

	@Test
	void readLateIsTheRefusalOfAConnectionWhoseDataArrivedLongBeforeItsLastRead() {
		this.history.acquired(NOW - 400);
		this.sinceDataArrived = 390;
		this.history.readAt(NOW - 10);
		assertThat(strict().refuseOnAcquire(this.connection)).isEqualTo(ConnectionEvictionPolicy.Refusal.READ_LATE);
	}

	@Test
	void idlePeersOfARefusedConnectionBecomeSuspectsOnlyWhenItWasTooIdleItself() {
		this.history.readAt(NOW - 400);
		strict().setAside(this.connection, ConnectionEvictionPolicy.Refusal.READ_LATE);
		assertThat(this.suspects.of(CLIENT)).isEmpty();
		strict().setAside(this.connection, ConnectionEvictionPolicy.Refusal.TOO_IDLE);
		assertThat(this.suspects.of(CLIENT)).containsKey(this.remote);
	}

	@Test
	void connectionItsPeerClosedIsRefusedWhateverItsIdleTimeAndNeverKeptAsAProbe() {
		this.learned.provenIdle(CLIENT, this.remote).provedSafe(10_000);
		this.history.readAt(NOW - 400);
		this.channel.close();
		assertThat(countingSurvival().refuseOnAcquire(this.connection))
			.isEqualTo(ConnectionEvictionPolicy.Refusal.CLOSED_BY_PEER);
		assertThat(strict().refuseOnAcquire(this.connection)).isEqualTo(ConnectionEvictionPolicy.Refusal.CLOSED_BY_PEER);
		countingSurvival().setAside(this.connection, ConnectionEvictionPolicy.Refusal.CLOSED_BY_PEER);
		assertThat(this.learned.provenIdle(CLIENT, this.remote).probe()).isNull();
		assertThat(this.suspects.of(CLIENT)).containsKey(this.remote);
	}

	@Test
	void refusedConnectionIsKeptAsTheHostsSurvivalProbeUnlessStrict() {
		this.history.readAt(NOW - 400);
		countingSurvival().setAside(this.connection, ConnectionEvictionPolicy.Refusal.TOO_IDLE);
		assertThat(this.channel.isActive()).isTrue();
		assertThat(this.learned.provenIdle(CLIENT, this.remote).probe()).isSameAs(this.channel);
		this.channel.close();
		assertThat(this.learned.provenIdle(CLIENT, this.remote).probe()).isNull();
		EmbeddedChannel other = new EmbeddedChannel();
		ConnectionHistory.keep(other, null).readAt(NOW - 400);
		strict().setAside(Connection.from(other), ConnectionEvictionPolicy.Refusal.TOO_IDLE);
		assertThat(other.isActive()).isFalse();
	}

	@Test
	void connectionSeenOpenAfterAnIdleTimeProvesItUnlessStrict() {
		assertThat(evicts(countingSurvival(), 1000)).isFalse();
		assertThat(this.learned.provenSafeIdleMillis(this.remote, true)).isEqualTo(1000);
		assertThat(countingSurvival().provenIdleLimitMillis(this.remote)).isEqualTo(800);
		assertThat(strict().provenIdleLimitMillis(this.remote)).isEqualTo(50);
		assertThat(this.learned.provenBy(this.remote, true, true)).isEqualTo(ProvenIdle.Evidence.SURVIVAL);
	}

	@Test
	void strictPoolNotesNoSurvival() {
		assertThat(evicts(strict(), 1000)).isFalse();
		assertThat(this.learned.provenSafeIdleMillis(this.remote, true)).isZero();
	}

	@Test
	void probeStillOpenAfterLongerProvesTheIdleTimeOfTheConnectionRefused() {
		// a caller one request at a time, 250 ms apart: the connection it refused last time has aged to 500 ms
		EmbeddedChannel probe = new EmbeddedChannel();
		ConnectionHistory.keep(probe, null).readAt(NOW - 500);
		assertThat(this.learned.provenIdle(CLIENT, this.remote).keepProbe(probe)).isTrue();
		assertThat(rejects(strict(), 250)).isTrue();
		assertThat(rejects(countingSurvival(), 250)).isFalse();
		assertThat(this.learned.provenSafeIdleMillis(this.remote, true)).isEqualTo(500);
		probe.close();
	}

	@Test
	void staleFailureMakesTheHostStrict() {
		evicts(countingSurvival(), 1000);
		this.learned.staleAfterIdle("other", this.remote, 2000);
		assertThat(this.learned.provenSafeIdleMillis(this.remote, true)).isZero();
		assertThat(countingSurvival().provenIdleLimitMillis(this.remote)).isEqualTo(50);
		assertThat(this.learned.provenIdle(CLIENT, this.remote).strict()).isTrue();
	}

	@Test
	void hostClosingAnIdleConnectionWithdrawsLongerSurvivals() {
		evicts(countingSurvival(), 3000);
		this.learned.closedWhileIdle("other", this.remote, 1000, 1050);
		assertThat(this.learned.provenSafeIdleMillis(this.remote, true)).isEqualTo(1000);
		assertThat(this.learned.provenBy(this.remote, true, true)).isEqualTo(ProvenIdle.Evidence.CLOSE);
	}

	@Test
	void hostClosingAnIdleConnectionLowersTheLimitAndProvesAShareOfItsIdleTime() {
		this.learned.closedWhileIdle(CLIENT, this.remote, 1000, 1050);
		assertThat(countingSurvival().idleLimitMillis(this.history, this.remote)).isEqualTo(800);
		assertThat(strict().provenIdleLimitMillis(this.remote)).isEqualTo(800);
		assertThat(rejects(strict(), 790)).isFalse();
		assertThat(rejects(strict(), 810)).isTrue();
	}

	@Test
	void hostClosingAnIdleConnectionWithdrawsLongerProofs() {
		this.learned.provenIdle("with-retry", this.remote).provedSafe(3000);
		this.learned.closedWhileIdle(CLIENT, this.remote, 1000, 1050);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isEqualTo(1000);
	}

	private boolean evicts(ConnectionEvictionPolicy policy, long idleMillis) {
		this.history.readAt(NOW - idleMillis);
		return policy.test(this.connection, new Metadata(1, idleMillis, NOW - idleMillis));
	}

	private boolean rejects(ConnectionEvictionPolicy policy, long idleMillis) {
		this.history.readAt(NOW - idleMillis);
		return policy.refuseOnAcquire(this.connection) != ConnectionEvictionPolicy.Refusal.NONE;
	}

	/** The policy of {@code reuse-proven-idle-only=true}: a connection seen open proves nothing. */
	private ConnectionEvictionPolicy strict() {
		return new ConnectionEvictionPolicy(CLIENT, this.pool.toSettings(), this.suspects, this.learned, true, () -> NOW,
				(channel) -> this.sinceDataArrived);
	}

	/** The default policy: a connection seen open after an idle time proves it. */
	private ConnectionEvictionPolicy countingSurvival() {
		return new ConnectionEvictionPolicy(CLIENT, this.pool.toSettings(), this.suspects, this.learned, false, () -> NOW,
				(channel) -> this.sinceDataArrived);
	}

	private record Metadata(int acquireCount, long idleTime, long releaseTimestamp) implements ConnectionMetadata {

		@Override
		public long lifeTime() {
			return 0;
		}

		@Override
		public long allocationTimestamp() {
			return 0;
		}

	}

}
