package dev.steady.client.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.autoconfigure.client.ClientProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a learned idle limit lasts, on a controllable clock: a lesson is forgotten after
 * forget-learned-after, and idle connections a host closes together at widely different idle
 * times (a shutdown or a reload) lower no limit, while an idle timeout's closes do.
 */
class LearnedIdleLimitLifetimeTests {

	private static final String CLIENT = "test";

	private static final long MAX_IDLE = 4000;

	private static final long RESPONSE_MILLIS = 50;

	private final SocketAddress remote = new InetSocketAddress("127.0.0.1", 8080);

	private final ClientProperties.Pool pool = new ClientProperties.Pool();

	private long now = 1_000_000L;

	/** Logs of idle timeouts' closes, waiting for their closes to be over. */
	private final List<Runnable> logsLater = new ArrayList<>();

	private final LearnedIdleTimeouts learned = new LearnedIdleTimeouts(() -> this.now, this.logsLater::add);

	@Test
	void learnedLimitLastsForgetLearnedAfterThenComesBack() {
		this.pool.setForgetLearnedAfter(Duration.ofMinutes(10));
		this.learned.staleAfterIdle(CLIENT, this.remote, 1000);
		this.now += Duration.ofMinutes(10).toMillis() - 1;
		assertThat(limit()).isEqualTo(800);
		this.now += 1;
		assertThat(limit()).isEqualTo(MAX_IDLE);
		assertThat(this.learned.of(CLIENT)).isEmpty();
	}

	@Test
	void forgottenLimitIsLearnedAgainLongerThanBefore() {
		closedWhileIdle(150);
		this.now += this.pool.getForgetLearnedAfter().toMillis();
		assertThat(limit()).isEqualTo(MAX_IDLE);
		closedWhileIdle(1000);
		assertThat(limit()).isEqualTo(800);
	}

	@Test
	void sameOrShorterLessonRenewsTheLimitButALongerOneDoesNot() {
		long forgetAfter = this.pool.getForgetLearnedAfter().toMillis();
		this.learned.staleAfterIdle(CLIENT, this.remote, 1000);
		this.now += forgetAfter / 2;
		this.learned.staleAfterIdle(CLIENT, this.remote, 1000);
		this.now += forgetAfter / 2 + 1;
		assertThat(limit()).as("renewed by the same lesson").isEqualTo(800);
		this.learned.staleAfterIdle(CLIENT, this.remote, 2000);
		this.now += forgetAfter / 2;
		assertThat(limit()).as("not renewed by a longer lesson").isEqualTo(MAX_IDLE);
	}

	@Test
	void idleClosesTogetherAtWidelyDifferentIdleTimesLowerNoLimit() {
		closedWhileIdle(1500);
		this.now += 5;
		closedWhileIdle(300);
		assertThat(limit()).isEqualTo(MAX_IDLE);
		this.now += 5;
		closedWhileIdle(700);
		assertThat(limit()).isEqualTo(MAX_IDLE);
		assertThat(this.learned.of(CLIENT)).isEmpty();
		assertThat(this.learned.provenOf(CLIENT).get(this.remote).idleCloses()).isEqualTo(3);
	}

	@Test
	void closesTooSoonAfterTheLastReadToTeachStillShowAShutdown() {
		closedWhileIdle(1500);
		this.now += 5;
		closedWhileIdle(20);
		assertThat(limit()).isEqualTo(MAX_IDLE);
	}

	@Test
	void shutdownGivesBackWhatWasLearnedBeforeIt() {
		this.learned.staleAfterIdle(CLIENT, this.remote, 2000);
		this.now += 60_000;
		closedWhileIdle(1800);
		assertThat(limit()).isEqualTo(1440);
		this.now += 5;
		closedWhileIdle(200);
		assertThat(limit()).isEqualTo(1600);
	}

	@Test
	void shutdownSeenByOneClientGivesBackWhatItTaughtAnother() {
		closedWhileIdle("other", 1500);
		this.now += 5;
		closedWhileIdle(300);
		assertThat(this.learned.of("other")).isEmpty();
		assertThat(this.learned.of(CLIENT)).isEmpty();
	}

	@Test
	void idleTimeoutClosesTogetherAtAboutTheSameIdleTimeTeachTheShortest() {
		closedWhileIdle(1000);
		this.now += 5;
		closedWhileIdle(1030);
		this.now += 5;
		closedWhileIdle(990);
		assertThat(limit()).isEqualTo(792);
	}

	@Test
	void closesFurtherApartThanTheWindowAreJudgedApart() {
		closedWhileIdle(1500);
		this.now += IdleCloseBurst.WINDOW_MILLIS + 1;
		closedWhileIdle(300);
		assertThat(limit()).isEqualTo(240);
	}

	@Test
	void aShutdownStillWithdrawsLongerProofs() {
		this.learned.provenIdle("with-retry", this.remote).provedSafe(3000);
		closedWhileIdle(1500);
		this.now += 5;
		closedWhileIdle(300);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isLessThanOrEqualTo(1500);
	}

	@Test
	void readsThatCameLateDoNotMakeAnIdleTimeoutLookLikeAShutdown() {
		this.learned.closedWhileIdle(CLIENT, this.remote, 1000, 1050);
		this.now += 5;
		// read 750 ms after its response arrived, on an event loop kept off the CPU
		this.learned.closedWhileIdle(CLIENT, this.remote, 250, 1050);
		assertThat(this.learned.of(CLIENT)).as("what the idle timeout taught").containsValue(250L);
	}

	@Test
	void closeNoticedLateByAStalledEventLoopProvesNoMoreThanTheShortestClose() {
		closedWhileIdle(1000);
		this.now += 5;
		closedWhileIdle(1885);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isEqualTo(1000);
		assertThat(limit()).isEqualTo(800);
	}

	@Test
	void closesOfAShutdownProveNothing() {
		closedWhileIdle(1500);
		this.now += 5;
		closedWhileIdle(300);
		this.now += 5;
		closedWhileIdle(1400);
		assertThat(this.learned.provenSafeIdleMillis(this.remote)).isLessThanOrEqualTo(300);
	}

	@Test
	void reloadWhoseClosesReachALoadedEventLoopUpToASecondApartTeachesNothingThatLasts() {
		closedWhileIdle(1500);
		this.now += 900;
		closedWhileIdle(1400);
		this.now += 900;
		closedWhileIdle(300);
		assertThat(limit()).isEqualTo(MAX_IDLE);
		assertThat(this.learned.of(CLIENT)).isEmpty();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void reloadLogsOneLineAndAnIdleTimeoutOneLineOnceItsClosesAreOver(CapturedOutput output) {
		closedWhileIdle(1500);
		this.now += 5;
		closedWhileIdle(1490);
		this.now += 5;
		closedWhileIdle(300);
		this.now += 5;
		closedWhileIdle(200);
		this.now += IdleCloseBurst.WINDOW_MILLIS + 1;
		runLogsLater();
		assertThat(output.getOut().lines().filter((line) -> line.contains(this.remote.toString()))).singleElement()
			.asString()
			.contains("is closing idle connections at once");
		this.now += 60_000;
		closedWhileIdle(1000);
		this.now += 5;
		closedWhileIdle(990);
		this.now += 500;
		runLogsLater();
		assertThat(output.getOut().lines().filter((line) -> line.contains(this.remote.toString()))).hasSize(1);
		this.now += IdleCloseBurst.WINDOW_MILLIS;
		runLogsLater();
		assertThat(output.getOut().lines().filter((line) -> line.contains(this.remote.toString()))).hasSize(2)
			.last()
			.asString()
			.contains("closed idle connections after 990 ms (2 at a time)");
	}

	private void runLogsLater() {
		List<Runnable> logs = new ArrayList<>(this.logsLater);
		this.logsLater.clear();
		logs.forEach(Runnable::run);
	}

	private void closedWhileIdle(long idleMillis) {
		closedWhileIdle(CLIENT, idleMillis);
	}

	/** A close of a connection whose response took 50 ms and was read on time. */
	private void closedWhileIdle(String client, long idleMillis) {
		this.learned.closedWhileIdle(client, this.remote, idleMillis, idleMillis + RESPONSE_MILLIS);
	}

	private long limit() {
		ConnectionEvictionPolicy policy = new ConnectionEvictionPolicy(CLIENT, this.pool.toSettings(),
				new StaleConnectionSuspects(), this.learned, false, () -> this.now, (channel) -> KernelTcpState.UNKNOWN);
		return policy.idleLimitMillis(null, this.remote);
	}

}
