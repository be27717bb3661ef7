package dev.steady.retry.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry budget's window, on a clock the test moves: requests and retries count for
 * {@code ttl} whole seconds, then drop out.
 */
class RetryBudgetTests {

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final RetryBudget budget = new RetryBudget(0.2, 10, Duration.ofSeconds(10), this.now::get);

	@Test
	void allowsTheReservePlusTheRatioOfRequests() {
		requests(1000);
		assertThat(retriesAllowed(10_000)).isEqualTo(200 + 10 * 10);
	}

	@Test
	void reserveAloneWhenThereAreNoRequests() {
		assertThat(retriesAllowed(1000)).isEqualTo(100);
	}

	@Test
	void spentRetriesComeBackAfterTheWindow() {
		assertThat(retriesAllowed(1000)).isEqualTo(100);
		this.now.addAndGet(Duration.ofSeconds(11).toMillis());
		assertThat(retriesAllowed(1000)).isEqualTo(100);
	}

	@Test
	void retriesSpentInTheLastSecondOfTheWindowStillCount() {
		assertThat(retriesAllowed(1000)).isEqualTo(100);
		this.now.addAndGet(9_999);
		assertThat(retriesAllowed(1000)).isZero();
		this.now.addAndGet(1);
		assertThat(retriesAllowed(1000)).isEqualTo(100);
	}

	@Test
	void requestsRaiseTheBudgetOnlyWhileInTheWindow() {
		requests(1000);
		this.now.addAndGet(Duration.ofSeconds(5).toMillis());
		requests(500);
		assertThat(retriesAllowed(10_000)).isEqualTo(300 + 100);
		this.now.addAndGet(Duration.ofSeconds(5).toMillis());
		// the first 1000 requests and the retries of the first second dropped out
		assertThat(retriesAllowed(10_000)).isZero();
		this.now.addAndGet(Duration.ofSeconds(5).toMillis());
		assertThat(retriesAllowed(10_000)).isEqualTo(100);
	}

	@Test
	void eachSecondOfTheWindowIsCountedOnce() {
		for (int second = 0; second < 10; second++) {
			requests(100);
			this.now.addAndGet(1000);
		}
		// the first second has left the window: 9 seconds of 100 requests remain
		assertThat(retriesAllowed(10_000)).isEqualTo(180 + 100);
	}

	@Test
	void windowIsWholeSecondsAndAtLeastOne() {
		RetryBudget shortWindow = new RetryBudget(0, 10, Duration.ofMillis(300), this.now::get);
		int allowed = 0;
		for (int i = 0; i < 100; i++) {
			allowed += shortWindow.tryRetry() ? 1 : 0;
		}
		assertThat(allowed).as("reserve of one second").isEqualTo(10);
		this.now.addAndGet(1000);
		assertThat(shortWindow.tryRetry()).isTrue();
	}

	private void requests(int count) {
		for (int i = 0; i < count; i++) {
			this.budget.recordRequest();
		}
	}

	private int retriesAllowed(int attempts) {
		int allowed = 0;
		for (int i = 0; i < attempts; i++) {
			if (this.budget.tryRetry()) {
				allowed++;
			}
		}
		return allowed;
	}

}
