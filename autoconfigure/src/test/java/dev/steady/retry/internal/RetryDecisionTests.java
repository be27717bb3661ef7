package dev.steady.retry.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.steady.client.internal.FailureCause;
import dev.steady.autoconfigure.client.ClientProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady's retry decision, without a server or a timer: every failure cause against the
 * method, the idempotency key, the attempt, the budget and whether a reused connection died.
 * Two attempts are allowed, as by default.
 */
class RetryDecisionTests {

	private static final int MAX_ATTEMPTS = 2;

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final ClientProperties.Retry settings = new ClientProperties.Retry();

	@ParameterizedTest(name = "{0} {1} key={2} attempt={3} budget={4} reused={5}: {6}")
	@CsvSource(textBlock = """
			NOT_SENT,         GET,  false, 1, left,  false, RETRIED
			NOT_SENT,         GET,  false, 1, spent, false, BUDGET_EXHAUSTED
			NOT_SENT,         GET,  false, 2, left,  false, ATTEMPTS_EXHAUSTED
			NOT_SENT,         POST, false, 1, left,  false, RETRIED
			NOT_SENT,         POST, false, 1, spent, false, BUDGET_EXHAUSTED
			NOT_SENT,         POST, false, 2, left,  false, ATTEMPTS_EXHAUSTED
			NOT_SENT,         POST, true,  1, left,  false, RETRIED
			NOT_SENT,         POST, true,  1, spent, false, BUDGET_EXHAUSTED
			NOT_SENT,         POST, true,  2, left,  false, ATTEMPTS_EXHAUSTED
			STALE_CONNECTION, GET,  false, 1, left,  false, RETRIED
			STALE_CONNECTION, GET,  false, 1, spent, false, BUDGET_EXHAUSTED
			STALE_CONNECTION, GET,  false, 1, spent, true,  RETRIED
			STALE_CONNECTION, GET,  false, 2, left,  false, ATTEMPTS_EXHAUSTED
			STALE_CONNECTION, GET,  false, 2, left,  true,  ATTEMPTS_EXHAUSTED
			STALE_CONNECTION, PUT,  false, 1, left,  true,  RETRIED
			STALE_CONNECTION, POST, false, 1, left,  false, NOT_RETRYABLE
			STALE_CONNECTION, POST, false, 1, left,  true,  NOT_RETRYABLE
			STALE_CONNECTION, POST, false, 1, spent, false, NOT_RETRYABLE
			STALE_CONNECTION, POST, false, 2, left,  false, NOT_RETRYABLE
			STALE_CONNECTION, POST, true,  1, left,  false, RETRIED
			STALE_CONNECTION, POST, true,  1, spent, false, BUDGET_EXHAUSTED
			STALE_CONNECTION, POST, true,  1, spent, true,  RETRIED
			STALE_CONNECTION, POST, true,  2, left,  true,  ATTEMPTS_EXHAUSTED
			STALE_CONNECTION, PATCH,false, 1, left,  true,  NOT_RETRYABLE
			RESPONSE_BROKEN,  GET,  false, 1, left,  false, NOT_RETRYABLE
			RESPONSE_BROKEN,  GET,  false, 1, spent, false, NOT_RETRYABLE
			RESPONSE_BROKEN,  GET,  false, 2, left,  false, NOT_RETRYABLE
			RESPONSE_BROKEN,  POST, false, 1, left,  false, NOT_RETRYABLE
			RESPONSE_BROKEN,  POST, true,  1, left,  false, NOT_RETRYABLE
			TIMEOUT,          GET,  false, 1, left,  false, NOT_RETRYABLE
			TIMEOUT,          GET,  false, 1, spent, false, NOT_RETRYABLE
			TIMEOUT,          GET,  false, 2, left,  false, NOT_RETRYABLE
			TIMEOUT,          POST, false, 1, left,  false, NOT_RETRYABLE
			TIMEOUT,          POST, true,  1, left,  false, NOT_RETRYABLE
			POOL_EXHAUSTED,   GET,  false, 1, left,  false, NOT_RETRYABLE
			POOL_EXHAUSTED,   GET,  false, 1, spent, false, NOT_RETRYABLE
			POOL_EXHAUSTED,   GET,  false, 2, left,  false, NOT_RETRYABLE
			POOL_EXHAUSTED,   POST, false, 1, left,  false, NOT_RETRYABLE
			POOL_EXHAUSTED,   POST, true,  1, left,  false, NOT_RETRYABLE
			OTHER,            GET,  false, 1, left,  false, NOT_RETRYABLE
			OTHER,            GET,  false, 1, spent, false, NOT_RETRYABLE
			OTHER,            GET,  false, 2, left,  false, NOT_RETRYABLE
			OTHER,            POST, false, 1, left,  false, NOT_RETRYABLE
			OTHER,            POST, true,  1, left,  false, NOT_RETRYABLE
			""")
	void failedAttempt(FailureCause cause, String method, boolean key, int attempt, String budget, boolean reused,
			RetryOutcome expected) {
		boolean idempotent = decision().idempotent(HttpMethod.valueOf(method), headers(key ? "Idempotency-Key" : null));
		assertThat(decision().onFailure(cause, idempotent, reused, attempt, MAX_ATTEMPTS, budget(budget)))
			.isEqualTo(expected);
	}

	@Test
	void aRetryTakesOneFromTheBudgetAndAStaleReusedConnectionTakesNone() {
		RetryBudget budget = new RetryBudget(0, 1, Duration.ofSeconds(1), this.now::get);
		assertThat(decision().onFailure(FailureCause.STALE_CONNECTION, true, true, 1, MAX_ATTEMPTS, budget))
			.isEqualTo(RetryOutcome.RETRIED);
		assertThat(decision().onFailure(FailureCause.NOT_SENT, true, false, 1, MAX_ATTEMPTS, budget))
			.isEqualTo(RetryOutcome.RETRIED);
		assertThat(decision().onFailure(FailureCause.NOT_SENT, true, false, 1, MAX_ATTEMPTS, budget))
			.isEqualTo(RetryOutcome.BUDGET_EXHAUSTED);
	}

	@ParameterizedTest(name = "{0}: idempotent={1}")
	@CsvSource(textBlock = """
			GET,     ,                  true
			HEAD,    ,                  true
			OPTIONS, ,                  true
			TRACE,   ,                  true
			PUT,     ,                  true
			DELETE,  ,                  true
			POST,    ,                  false
			PATCH,   ,                  false
			POST,    Idempotency-Key,   true
			PATCH,   X-Idempotency-Key, true
			POST,    X-Request-Id,      false
			""")
	void idempotentMethodsAndKeys(String method, String header, boolean expected) {
		assertThat(decision().idempotent(HttpMethod.valueOf(method), headers(header))).isEqualTo(expected);
	}

	@Test
	void keysAreIgnoredWhenNotHonoured() {
		this.settings.setHonorIdempotencyKey(false);
		assertThat(decision().idempotent(HttpMethod.POST, headers("Idempotency-Key"))).isFalse();
	}

	@Test
	void configuredMethodsAreTheIdempotentOnes() {
		this.settings.setMethods(Set.of(HttpMethod.GET));
		assertThat(decision().idempotent(HttpMethod.PUT, headers(null))).isFalse();
		assertThat(decision().idempotent(HttpMethod.GET, headers(null))).isTrue();
	}

	@ParameterizedTest(name = "{0} after {1}s idempotent={2} attempt={3} budget={4}: {5}")
	@CsvSource(textBlock = """
			503, 0,    true,  1, left,  RETRIED
			503, 2,    true,  1, left,  RETRIED
			503, 3,    true,  1, left,  NONE
			503, 3600, true,  1, left,  NONE
			503, 0,    true,  1, spent, BUDGET_EXHAUSTED
			503, 0,    true,  2, left,  NONE
			503, 0,    false, 1, left,  NONE
			502, 0,    true,  1, left,  NONE
			200, 0,    true,  1, left,  NONE
			""")
	void responseStatus(int status, long retryAfterSeconds, boolean idempotent, int attempt, String budget,
			String expected) {
		this.settings.setStatuses(Set.of(503));
		this.settings.setMaxRetryAfter(Duration.ofSeconds(2));
		RetryOutcome outcome = decision().onStatus(status, Duration.ofSeconds(retryAfterSeconds), idempotent,
				attempt, MAX_ATTEMPTS, budget(budget));
		assertThat((outcome != null) ? outcome.name() : "NONE").isEqualTo(expected);
	}

	@Test
	void statusesAreLookedAtOnlyWhenConfigured() {
		assertThat(decision().retriesStatuses()).isFalse();
		this.settings.setStatuses(Set.of(429));
		assertThat(decision().retriesStatuses()).isTrue();
		assertThat(decision().retriesStatus(429)).isTrue();
		assertThat(decision().retriesStatus(503)).isFalse();
	}

	/** A budget with retries left, or one whose single retry of this second is already taken. */
	private RetryBudget budget(String state) {
		RetryBudget budget = new RetryBudget(0, 1, Duration.ofSeconds(1), this.now::get);
		if (state.equals("spent")) {
			assertThat(budget.tryRetry()).isTrue();
		}
		return budget;
	}

	private static HttpHeaders headers(String name) {
		HttpHeaders headers = new HttpHeaders();
		if (name != null) {
			headers.add(name, "k-1");
		}
		return headers;
	}

	/** The decision over the settings as they are now: settings are immutable once mapped. */
	private RetryDecision decision() {
		return new RetryDecision(this.settings.toSettings());
	}

}
