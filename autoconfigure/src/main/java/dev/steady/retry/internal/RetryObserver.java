package dev.steady.retry.internal;

import dev.steady.client.internal.FailureCause;

/**
 * Told about every classified failure and every retry decision, to count them.
 */
public interface RetryObserver {

	/** An observer that ignores everything. */
	RetryObserver NONE = new RetryObserver() {
	};

	/**
	 * An attempt failed.
	 * @param client the client's name
	 * @param cause what the failure tells
	 */
	default void failed(String client, FailureCause cause) {
	}

	/**
	 * A retry decision was made, or a retried request ended.
	 * @param client the client's name
	 * @param outcome what happened
	 */
	default void decided(String client, RetryOutcome outcome) {
	}

}
