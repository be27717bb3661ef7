package dev.steady.client;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Adds to a pool-exhaustion failure the name of the Steady property that sizes what ran out.
 * Reactor Netty's own message ("Pending acquire queue has reached its maximum size of 100")
 * says what happened but not where it is configured. The original exception stays the cause.
 */
public final class PoolExhaustionHintFilter implements SteadyClientFilter {

	private static final String PENDING_LIMIT = "PoolAcquirePendingLimitException";

	private static final String ACQUIRE_TIMEOUT = "PoolAcquireTimeoutException";

	private final String propertyPrefix;

	/**
	 * Create the filter for one client.
	 * @param propertyPrefix the client's property prefix, such as {@code steady.client}
	 */
	public PoolExhaustionHintFilter(String propertyPrefix) {
		this.propertyPrefix = propertyPrefix;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request).onErrorMap(WebClientRequestException.class, (ex) -> explain(request, ex));
	}

	private Throwable explain(ClientRequest request, WebClientRequestException ex) {
		Throwable poolFailure = findPoolFailure(ex);
		if (poolFailure == null) {
			return ex;
		}
		String pool = this.propertyPrefix + ".pool.";
		String advice = poolFailure.getClass().getSimpleName().equals(PENDING_LIMIT)
				? "raise " + pool + "pending-acquire-max-count (or " + pool + "max-connections)"
				: "raise " + pool + "pending-acquire-timeout (or " + pool + "max-connections)";
		PoolExhaustedException explained = new PoolExhaustedException(
				poolFailure.getMessage() + "; " + advice + ", or send fewer concurrent requests", poolFailure);
		return new WebClientRequestException(explained, request.method(), request.url(), request.headers());
	}

	/**
	 * Find Reactor Netty's pool-exhaustion exception in a cause chain. The pool classes are
	 * shaded inside reactor-netty, so they are matched by simple name.
	 * @param failure the failure to inspect
	 * @return the pool exception, or {@code null}
	 */
	static @Nullable Throwable findPoolFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String name = cause.getClass().getSimpleName();
			if (name.equals(PENDING_LIMIT) || name.equals(ACQUIRE_TIMEOUT)) {
				return cause;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/**
	 * A request found no connection: the pool's pending queue was full or the wait for a
	 * connection timed out. Its message names the property to raise.
	 */
	public static final class PoolExhaustedException extends RuntimeException {

		PoolExhaustedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
