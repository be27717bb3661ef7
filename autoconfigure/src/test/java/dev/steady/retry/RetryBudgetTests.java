package dev.steady.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTests {

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final RetryBudget budget = new RetryBudget(0.2, 10, Duration.ofSeconds(10), this.now::get);

	@Test
	void allowsTheReservePlusTheRatioOfRequests() {
		for (int i = 0; i < 1000; i++) {
			this.budget.recordRequest();
		}
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
