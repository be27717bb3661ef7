package dev.steady.client.internal;

import org.jspecify.annotations.Nullable;

/**
 * Finds Reactor Netty's pool-exhaustion exceptions in a cause chain. They are shaded inside
 * reactor-netty ({@code reactor.netty.internal.shaded.reactor.pool}), so they are matched by
 * simple name, here and nowhere else.
 */
public final class PoolFailures {

	private static final String PENDING_LIMIT = "PoolAcquirePendingLimitException";

	private static final String ACQUIRE_TIMEOUT = "PoolAcquireTimeoutException";

	private static final int MAX_DEPTH = 32;

	private PoolFailures() {
	}

	/**
	 * The pool exception behind a failure: the pending queue was full or the wait for a
	 * connection timed out.
	 * @param failure the failure, possibly wrapped
	 * @return the pool exception, or {@code null}
	 */
	public static @Nullable Throwable find(Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (isPendingLimit(cause) || isAcquireTimeout(cause)) {
				return cause;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return null;
	}

	/**
	 * Whether an exception is Reactor Netty's pending-queue-full exception.
	 * @param exception the exception itself, not its causes
	 * @return whether the pool's pending queue was full
	 */
	public static boolean isPendingLimit(Throwable exception) {
		return exception.getClass().getSimpleName().equals(PENDING_LIMIT);
	}

	/**
	 * Whether an exception is Reactor Netty's acquire-timeout exception.
	 * @param exception the exception itself, not its causes
	 * @return whether the wait for a connection timed out
	 */
	public static boolean isAcquireTimeout(Throwable exception) {
		return exception.getClass().getSimpleName().equals(ACQUIRE_TIMEOUT);
	}

}
