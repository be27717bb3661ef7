package dev.steady.retry.internal;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

	private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void secondsAreRead() {
		assertThat(RetryAfter.parse("3", this.now)).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void httpDateIsReadRelativeToNow() {
		assertThat(RetryAfter.parse("Sun, 22 Nov 2026 10:00:05 GMT", this.now)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void absentPastOrUnreadableMeansNoWait() {
		assertThat(RetryAfter.parse(null, this.now)).isZero();
		assertThat(RetryAfter.parse("Sun, 22 Nov 2026 09:00:00 GMT", this.now)).isZero();
		assertThat(RetryAfter.parse("soon", this.now)).isZero();
		assertThat(RetryAfter.parse("-5", this.now)).isZero();
	}

}
