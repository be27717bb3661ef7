package dev.steady.client.internal;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Adds to a pool-exhaustion failure the name of the Steady property that sizes what ran out.
 * Reactor Netty's own message ("Pending acquire queue has reached its maximum size of 100")
 * says what happened but not where it is configured. The original exception stays the cause;
 * any other failure is returned as it is.
 */
public final class PoolExhaustionHint implements Function<Throwable, Throwable> {

	private final String propertyPrefix;

	/**
	 * Create the hint for one client.
	 * @param propertyPrefix the client's property prefix, such as {@code steady.client}
	 */
	public PoolExhaustionHint(String propertyPrefix) {
		this.propertyPrefix = propertyPrefix;
	}

	@Override
	public Throwable apply(Throwable failure) {
		Throwable poolFailure = PoolFailures.find(failure);
		if (poolFailure == null) {
			return failure;
		}
		String pool = this.propertyPrefix + ".pool.";
		String advice = PoolFailures.isPendingLimit(poolFailure)
				? "raise " + pool + "pending-acquire-max-count (or " + pool + "max-connections)"
				: "raise " + pool + "pending-acquire-timeout (or " + pool + "max-connections)";
		PoolExhaustedException explained = new PoolExhaustedException(
				poolFailure.getMessage() + "; " + advice + ", or send fewer concurrent requests", poolFailure);
		return (failure instanceof WebClientRequestException ex)
				? new WebClientRequestException(explained, ex.getMethod(), ex.getUri(), ex.getHeaders()) : explained;
	}

	/**
	 * A request found no connection: the pool's pending queue was full or the wait for a
	 * connection timed out. Its message names the property to raise.
	 */
	public static final class PoolExhaustedException extends RuntimeException {

		PoolExhaustedException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
