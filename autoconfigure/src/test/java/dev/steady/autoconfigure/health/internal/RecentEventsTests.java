package dev.steady.autoconfigure.health.internal;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentEventsTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final RecentEvents events = new RecentEvents();

	@Test
	void countsEventsOfTheLastMinuteOnly() {
		long start = 1_000 * SECOND;
		this.events.record(start);
		this.events.record(start + SECOND / 2);
		this.events.record(start + 30 * SECOND);
		assertThat(this.events.lastMinute(start + 30 * SECOND)).isEqualTo(3);
		assertThat(this.events.lastMinute(start + 60 * SECOND)).isEqualTo(1);
		assertThat(this.events.lastMinute(start + 91 * SECOND)).isZero();
	}

	@Test
	void aBucketReusedAMinuteLaterStartsAgain() {
		long start = 1_000 * SECOND;
		this.events.record(start);
		this.events.record(start + 60 * SECOND);
		assertThat(this.events.lastMinute(start + 60 * SECOND)).isEqualTo(1);
	}

}
