package dev.steady.client.internal;

import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The retry of a client, as a caller that runs the attempts itself asks it: one {@link Call}
 * per request, told how each attempt ended and answering whether, and after how long, the
 * request is sent again. A client without retry has {@link #none(PoolExhaustionHint)}.
 */
public interface RetryPolicy {

	/**
	 * Start a call: its first attempt is about to be made.
	 * @param method the request's method
	 * @param url the request's URL
	 * @param headers the request's headers
	 * @param attributes the request's attributes
	 * @return the call's decisions
	 */
	Call start(HttpMethod method, URI url, HttpHeaders headers, Map<String, Object> attributes);

	/**
	 * The policy of a client that never retries: every failure is returned, explained by the
	 * client's hint.
	 * @param hint explains pool-exhaustion failures
	 * @return the policy
	 */
	static RetryPolicy none(PoolExhaustionHint hint) {
		Call call = noRetry(hint);
		return (method, url, headers, attributes) -> call;
	}

	/**
	 * The call of a request that is never retried: its failure is returned, explained by the
	 * client's hint.
	 * @param hint explains pool-exhaustion failures
	 * @return the call, which keeps no state
	 */
	static Call noRetry(PoolExhaustionHint hint) {
		return new Call() {

			@Override
			public boolean mayReuseLongIdle() {
				return false;
			}

			@Override
			public boolean checksStatus() {
				return false;
			}

			@Override
			public long onResponse(int status, HttpHeaders headers) {
				return -1;
			}

			@Override
			public long onFailure(Throwable failure, @Nullable Connection connection) {
				return -1;
			}

			@Override
			public Throwable explain(Throwable failure) {
				return hint.apply(failure);
			}

		};
	}

	/**
	 * The retry decisions of one request, attempt after attempt.
	 */
	interface Call {

		/**
		 * Whether the current attempt may take a pooled connection idle for longer than is
		 * proven safe: a stale failure of it would be retried.
		 * @return whether it may
		 */
		boolean mayReuseLongIdle();

		/**
		 * Whether a response may be retried for its status, so that
		 * {@link #onResponse(int, HttpHeaders)} can answer other than -1.
		 * @return whether statuses are checked
		 */
		boolean checksStatus();

		/**
		 * The current attempt got a response.
		 * @param status its status code
		 * @param headers its headers
		 * @return -1 to return the response, the call being done; otherwise the milliseconds
		 * to wait, having released the response, before the next attempt
		 */
		long onResponse(int status, HttpHeaders headers);

		/**
		 * The current attempt failed.
		 * @param failure its failure
		 * @param connection the connection it was written on, or {@code null} if it got none
		 * @return -1 to fail the call with {@link #explain(Throwable)}; otherwise the
		 * milliseconds to wait before the next attempt
		 */
		long onFailure(Throwable failure, @Nullable Connection connection);

		/**
		 * The failure the call ends with.
		 * @param failure the last attempt's failure
		 * @return the failure, a pool-exhaustion one naming the property to raise
		 */
		Throwable explain(Throwable failure);

	}

}
