package dev.steady.retry.internal;

import java.util.Locale;

/**
 * What the retry filter did about a failed attempt, or how a retried request ended.
 */
enum RetryOutcome {

	/** The attempt failed and was retried. */
	RETRIED,

	/** The request succeeded after one or more retries. */
	SUCCEEDED_AFTER_RETRY,

	/** The failure was retryable but the host's retry budget was spent. */
	BUDGET_EXHAUSTED,

	/** The failure was retryable but every attempt was used. */
	ATTEMPTS_EXHAUSTED,

	/** The failure was not safe to retry. */
	NOT_RETRYABLE;

	/**
	 * Name used in metric tags and logs.
	 * @return the lower-case, dash-separated name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
