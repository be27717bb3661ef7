package dev.steady.retry.internal;

import java.time.Duration;

import dev.steady.client.internal.FailureCause;
import dev.steady.client.ClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Steady's retry decision for one client, free of I/O and timers: whether a failed attempt,
 * or a response with a retryable status, may be sent again.
 * <ul>
 * <li>a request that was never sent ({@link FailureCause#NOT_SENT}) may be retried whatever
 * its method, and so may one the server said it never processed
 * ({@link FailureCause#NOT_PROCESSED}, an HTTP/2 stream refused by GOAWAY);</li>
 * <li>a request whose connection died before any response ({@link FailureCause#STALE_CONNECTION})
 * only if its method is idempotent or it carries an idempotency key;</li>
 * <li>an opted-in status only for such requests, and only if its {@code Retry-After} is short
 * enough;</li>
 * <li>nothing else.</li>
 * </ul>
 * Within the attempts, a retry also needs the host's {@link RetryBudget}, except after a
 * stale reused keep-alive connection, which says nothing of the server's load.
 */
final class RetryDecision {

	private final ClientSettings.Retry settings;

	RetryDecision(ClientSettings.Retry settings) {
		this.settings = settings;
	}

	/**
	 * Whether a request may safely reach the server twice: its method is one of the
	 * configured idempotent methods, or it carries an idempotency key that is honoured.
	 * @param method the request's method
	 * @param headers the request's headers
	 * @return whether the request is idempotent
	 */
	boolean idempotent(HttpMethod method, HttpHeaders headers) {
		if (this.settings.methods().contains(method)) {
			return true;
		}
		return this.settings.honorIdempotencyKey()
				&& (headers.containsHeader("Idempotency-Key") || headers.containsHeader("X-Idempotency-Key"));
	}

	/**
	 * Whether responses of this client are ever retried, so that they need looking at.
	 * @return whether any status is configured for retry
	 */
	boolean retriesStatuses() {
		return !this.settings.statuses().isEmpty();
	}

	/**
	 * Whether a status is configured for retry.
	 * @param status the response's status code
	 * @return whether responses with it may be retried
	 */
	boolean retriesStatus(int status) {
		return this.settings.statuses().contains(status);
	}

	/**
	 * Decide about a failed attempt. Takes a retry from the budget when the answer is
	 * {@link RetryOutcome#RETRIED} and the budget applies.
	 * @param cause what the failure tells
	 * @param idempotent whether the request may reach the server twice
	 * @param staleReused whether the attempt died on a stale reused keep-alive connection
	 * @param attempt the attempt that failed, 1 for the first
	 * @param maxAttempts attempts allowed, the first included
	 * @param budget the host's retry budget
	 * @return the decision
	 */
	RetryOutcome onFailure(FailureCause cause, boolean idempotent, boolean staleReused, int attempt, int maxAttempts,
			RetryBudget budget) {
		boolean safe = cause == FailureCause.NOT_SENT || cause == FailureCause.NOT_PROCESSED || (cause == FailureCause.STALE_CONNECTION && idempotent);
		if (!safe) {
			return RetryOutcome.NOT_RETRYABLE;
		}
		if (attempt >= maxAttempts) {
			return RetryOutcome.ATTEMPTS_EXHAUSTED;
		}
		// a keep-alive connection that went stale says nothing of the server's load: like Go,
		// retry it freely; failures of fresh connections (an outage) are held to the budget
		if (staleReused) {
			return RetryOutcome.RETRIED;
		}
		return budget.tryRetry() ? RetryOutcome.RETRIED : RetryOutcome.BUDGET_EXHAUSTED;
	}

	/**
	 * Decide about a response. Takes a retry from the budget when the answer is
	 * {@link RetryOutcome#RETRIED}.
	 * @param status the response's status code
	 * @param retryAfter the wait its {@code Retry-After} asks for, zero without one
	 * @param idempotent whether the request may reach the server twice
	 * @param attempt the attempt that got the response, 1 for the first
	 * @param maxAttempts attempts allowed, the first included
	 * @param budget the host's retry budget
	 * @return {@code null} when the response is returned as it is (no decision to count),
	 * otherwise {@link RetryOutcome#RETRIED} or {@link RetryOutcome#BUDGET_EXHAUSTED}
	 */
	@Nullable RetryOutcome onStatus(int status, Duration retryAfter, boolean idempotent, int attempt, int maxAttempts,
			RetryBudget budget) {
		if (!idempotent || attempt >= maxAttempts || !retriesStatus(status)
				|| retryAfter.compareTo(this.settings.maxRetryAfter()) > 0) {
			return null;
		}
		return budget.tryRetry() ? RetryOutcome.RETRIED : RetryOutcome.BUDGET_EXHAUSTED;
	}

}
