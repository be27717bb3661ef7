package dev.steady.client.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveHintTests {

	@Test
	void timeoutIsRead() {
		assertThat(KeepAliveHint.timeout("timeout=5")).isEqualTo(Duration.ofSeconds(5));
		assertThat(KeepAliveHint.timeout("timeout=5, max=1000")).isEqualTo(Duration.ofSeconds(5));
		assertThat(KeepAliveHint.timeout("max=100, Timeout = 3")).isEqualTo(Duration.ofSeconds(3));
		assertThat(KeepAliveHint.timeout("timeout=0")).isEqualTo(Duration.ZERO);
	}

	@Test
	void absentHeaderOrParameterGivesNoHint() {
		assertThat(KeepAliveHint.timeout(null)).isNull();
		assertThat(KeepAliveHint.timeout("")).isNull();
		assertThat(KeepAliveHint.timeout("max=100")).isNull();
	}

	@Test
	void malformedValuesAreIgnored() {
		assertThat(KeepAliveHint.timeout("timeout=soon")).isNull();
		assertThat(KeepAliveHint.timeout("timeout=-3")).isNull();
		assertThat(KeepAliveHint.timeout("timeout=")).isNull();
		assertThat(KeepAliveHint.timeout("timeout=99999999999999999999")).isNull();
		assertThat(KeepAliveHint.timeout("=,=,,timeout")).isNull();
	}

}
