package dev.steady.retry.internal;

import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.steady.client.internal.FailureCause;
import dev.steady.client.internal.FailureClassifier;
import dev.steady.client.ClientSettings;
import dev.steady.client.internal.ConnectionUse;
import dev.steady.client.internal.Http2Observer;
import dev.steady.client.internal.PoolExhaustionHint;
import dev.steady.client.internal.PooledHost;
import dev.steady.client.internal.RetryPolicy;
import dev.steady.client.internal.StaleConnectionSuspects;
import dev.steady.client.internal.SteadyClientFilter;
import dev.steady.client.SteadyRequestOptions;
import io.github.resilience4j.retry.Retry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Retries a failed exchange only when that cannot execute a request twice that must run
 * once, as {@link RetryDecision} rules. Steady makes every decision itself: a failure it does
 * not retry is returned at once, whatever the Resilience4j instance's own rules say.
 * <p>
 * The client's Resilience4j {@link Retry} ({@code steady-<client>}) gives the attempts and
 * the wait before each retry, and counts every call in its metrics. It is consulted only
 * once an attempt failed: a request that succeeds at once costs Steady no operator, only
 * a count of a successful call without retry.
 * <p>
 * A failure it returns carries the client's {@link PoolExhaustionHint}, so the client needs
 * no second filter for it.
 * <p>
 * It is also the client's {@link RetryPolicy}: a {@code RestClient} call, which runs its
 * attempts on the calling thread, gets the same decisions, budgets and counts.
 */
public final class SafeRetryFilter implements SteadyClientFilter, RetryPolicy {

	/**
	 * Request attribute that turns retry off for one request.
	 * @deprecated since 0.2 for removal; use {@link SteadyRequestOptions#noRetry()}
	 */
	@Deprecated(since = "0.2", forRemoval = true)
	public static final String NO_RETRY_ATTRIBUTE = SteadyRequestOptions.NO_RETRY_ATTRIBUTE;

	private static final Log logger = LogFactory.getLog(SafeRetryFilter.class);

	private static final long BUDGET_WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	/** Bound on the hosts a client keeps budgets for; past it, budgets start afresh. */
	private static final int MAX_HOSTS = 10_000;

	private final String clientName;

	private final ClientSettings.Budget budgetSettings;

	private final RetryDecision decision;

	private final Retry retry;

	private final int maxAttempts;

	/**
	 * Counts the first attempts that end the call: it is told of successes and of failures
	 * Steady does not retry, which change no state of a Resilience4j context.
	 */
	private final Retry.AsyncContext<Object> firstAttempts;

	private final RetryObserver observer;

	private final StaleConnectionSuspects suspects;

	private final PoolExhaustionHint hint;

	private final LongSupplier clock = System::currentTimeMillis;

	private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

	private final AtomicLong lastBudgetWarning = new AtomicLong();

	/** The call of a request with retry turned off: its failures are only explained. */
	private final RetryPolicy.Call noRetry;

	/**
	 * Create the filter of one client.
	 * @param clientName the client's name, for metrics and logs
	 * @param settings the client's retry settings
	 * @param retry the Resilience4j retry that gives the attempts and waits; its exception
	 * predicate must reject every failure but a {@link RetrySignal}, as
	 * {@link SteadyRetryConfig} makes it
	 * @param observer told of every failure and decision
	 * @param suspects told when a reused connection dies stale, so the retry avoids its peers
	 * @param hint explains the pool-exhaustion failures it returns
	 */
	public SafeRetryFilter(String clientName, ClientSettings.Retry settings, Retry retry, RetryObserver observer,
			StaleConnectionSuspects suspects, PoolExhaustionHint hint) {
		this.clientName = clientName;
		this.budgetSettings = settings.budget();
		this.decision = new RetryDecision(settings);
		if (!SteadyRetryConfig.leavesDecisionToSteady(retry.getRetryConfig())) {
			throw new IllegalArgumentException("Resilience4j retry '" + retry.getName()
					+ "' would retry failures Steady refuses; configure it with SteadyRetryConfig");
		}
		this.retry = retry;
		this.maxAttempts = retry.getRetryConfig().getMaxAttempts();
		this.firstAttempts = retry.asyncContext();
		this.observer = observer;
		this.suspects = suspects;
		this.hint = hint;
		this.noRetry = RetryPolicy.noRetry(hint);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (Boolean.TRUE.equals(request.attributes().get(SteadyRequestOptions.NO_RETRY_ATTRIBUTE))) {
			return next.exchange(request).onErrorMap(this.hint);
		}
		return Mono.defer(() -> new RetriedExchange(request, next,
				new Call(request.method(), request.url(), request.headers()))
			.attempt());
	}

	@Override
	public RetryPolicy.Call start(HttpMethod method, URI url, HttpHeaders headers, Map<String, Object> attributes) {
		if (Boolean.TRUE.equals(attributes.get(SteadyRequestOptions.NO_RETRY_ATTRIBUTE))) {
			return this.noRetry;
		}
		return new Call(method, url, headers);
	}

	@Override
	public boolean explainsPoolExhaustion() {
		return true;
	}

	private RetryBudget budgetOf(URI url) {
		// the authority (host and port as written) is parsed once per URI, so keying by it allocates nothing
		String host = (url.getRawAuthority() != null) ? url.getRawAuthority() : String.valueOf(url.getHost());
		RetryBudget budget = this.budgets.get(host);
		if (budget != null) {
			return budget;
		}
		if (this.budgets.size() > MAX_HOSTS) {
			this.budgets.clear();
		}
		return this.budgets.computeIfAbsent(host, (key) -> new RetryBudget(this.budgetSettings.ratio(),
				this.budgetSettings.minPerSecond(), this.budgetSettings.ttl(), this.clock));
	}

	private void warnBudgetExhausted(URI url) {
		long now = System.nanoTime();
		long last = this.lastBudgetWarning.get();
		if ((last == 0 || now - last > BUDGET_WARNING_INTERVAL_NANOS)
				&& this.lastBudgetWarning.compareAndSet(last, now)) {
			logger.warn("Retry budget of Steady client '" + this.clientName + "' for " + url.getHost() + ":"
					+ url.getPort() + " is spent; failures are returned without retry (at most "
					+ this.budgetSettings.ratio() + " of recent requests plus "
					+ this.budgetSettings.minPerSecond() + "/s may be retried)");
		}
	}

	/**
	 * The retry decisions of one request, attempt after attempt, whoever runs the attempts:
	 * the {@code WebClient} filter or a blocking {@code RestClient} call.
	 */
	private final class Call implements RetryPolicy.Call {

		private final HttpMethod method;

		private final URI url;

		private final HttpHeaders headers;

		private final RetryBudget budget;

		/** Worked out once, when the first attempt decides which pool it may use. */
		private @Nullable Boolean idempotent;

		/** The current attempt, 1 for the first. */
		private int attempt = 1;

		/** The Resilience4j context of this call, from its first retry on. */
		private Retry.@Nullable AsyncContext<Object> retried;

		Call(HttpMethod method, URI url, HttpHeaders headers) {
			this.method = method;
			this.url = url;
			this.headers = headers;
			this.budget = budgetOf(url);
			this.budget.recordRequest();
		}

		@Override
		public boolean mayReuseLongIdle() {
			return this.attempt < SafeRetryFilter.this.maxAttempts && idempotent();
		}

		@Override
		public boolean checksStatus() {
			return SafeRetryFilter.this.decision.retriesStatuses() && idempotent();
		}

		private boolean idempotent() {
			if (this.idempotent == null) {
				this.idempotent = SafeRetryFilter.this.decision.idempotent(this.method, this.headers);
			}
			return this.idempotent;
		}

		private void succeeded() {
			if (this.retried == null) {
				SafeRetryFilter.this.firstAttempts.onComplete();
				return;
			}
			this.retried.onComplete();
			SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName, RetryOutcome.SUCCEEDED_AFTER_RETRY);
		}

		@Override
		public long onResponse(int status, HttpHeaders headers) {
			if (!checksStatus() || !SafeRetryFilter.this.decision.retriesStatus(status)) {
				succeeded();
				return -1;
			}
			Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER),
					Instant.ofEpochMilli(SafeRetryFilter.this.clock.getAsLong()));
			RetryOutcome outcome = SafeRetryFilter.this.decision.onStatus(status, retryAfter, idempotent(),
					this.attempt, SafeRetryFilter.this.maxAttempts, this.budget);
			if (outcome != RetryOutcome.RETRIED) {
				if (outcome != null) {
					decided(outcome, 0);
				}
				succeeded();
				return -1;
			}
			long wait = retryWait(new RetryableStatusException(status));
			decided(outcome, wait);
			// below zero, the instance's own rules refused the retry, and counted the call
			return (wait < 0) ? -1 : next(retryAfter.toMillis() + wait);
		}

		@Override
		public long onFailure(Throwable failure, @Nullable Connection connection) {
			FailureCause cause = FailureClassifier.classify(failure);
			if (cause != FailureCause.NOT_SENT && connection != null && Http2Observer.neverProcessed(connection)) {
				cause = FailureCause.NOT_PROCESSED;
			}
			SafeRetryFilter.this.observer.failed(SafeRetryFilter.this.clientName, cause);
			boolean staleReused = false;
			if (cause == FailureCause.STALE_CONNECTION) {
				ConnectionUse use = (connection != null) ? ConnectionUse.of(connection) : null;
				staleReused = use != null && use.reused();
				if (staleReused) {
					// before any retry is scheduled, so that it cannot land on an equally stale connection
					SafeRetryFilter.this.suspects.staleConnectionFailed(SafeRetryFilter.this.clientName, use.remote());
				}
			}
			RetryOutcome outcome = SafeRetryFilter.this.decision.onFailure(cause, idempotent(), staleReused,
					this.attempt, SafeRetryFilter.this.maxAttempts, this.budget);
			long wait = (outcome == RetryOutcome.RETRIED) ? retryWait(failure) : -1;
			decided(outcome, wait);
			if (wait < 0) {
				countFinalFailure(failure, outcome);
				return -1;
			}
			return next(wait);
		}

		@Override
		public Throwable explain(Throwable failure) {
			return SafeRetryFilter.this.hint.apply(failure);
		}

		/** The next attempt is decided on: it is made after the given wait. */
		private long next(long waitMillis) {
			this.attempt++;
			if (logger.isDebugEnabled()) {
				logger.debug("Steady client '" + SafeRetryFilter.this.clientName + "' retrying " + this.method + " "
						+ this.url + " (attempt " + this.attempt + ", in " + waitMillis + " ms)");
			}
			return waitMillis;
		}

		private void decided(RetryOutcome outcome, long wait) {
			if (outcome == RetryOutcome.BUDGET_EXHAUSTED) {
				warnBudgetExhausted(this.url);
			}
			RetryOutcome counted = (outcome == RetryOutcome.RETRIED && wait < 0) ? RetryOutcome.NOT_RETRYABLE : outcome;
			SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName, counted);
		}

		/**
		 * Tell Resilience4j of a retry Steady decided on.
		 * @return the wait before the retry in milliseconds, or -1 if the instance's own
		 * exception rules refuse it (which it counts as failed without retry)
		 */
		private long retryWait(Throwable failure) {
			if (this.retried == null) {
				this.retried = SafeRetryFilter.this.retry.asyncContext();
			}
			return this.retried.onError(new RetrySignal(failure));
		}

		/** Let Resilience4j count the end of a call that failed. */
		private void countFinalFailure(Throwable failure, RetryOutcome outcome) {
			if (outcome == RetryOutcome.RETRIED) {
				// the instance's own rules refused the retry, and counted the call
				return;
			}
			if (this.retried == null) {
				// rejected by the instance's predicate: failed without retry, and no state changed
				SafeRetryFilter.this.firstAttempts.onError(failure);
				return;
			}
			// after a retry: the last attempt counts as failed with retry, a refusal as Resilience4j counts an ignored error
			this.retried.onError((outcome == RetryOutcome.ATTEMPTS_EXHAUSTED) ? new RetrySignal(failure) : failure);
		}

	}

	/** A failure, or a retryable status, Steady decided to retry, as Resilience4j is told of it. */
	static final class RetrySignal extends RuntimeException {

		RetrySignal(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

	/** A response status the client is configured to retry. */
	static final class RetryableStatusException extends RuntimeException {

		RetryableStatusException(int status) {
			super("Retryable response status " + status, null, false, false);
		}

	}

	/**
	 * Drop the retry budget of a host whose pool is gone, unused for
	 * {@code steady.health.forget-after}: called again, it starts with a fresh budget.
	 * @param pool the address Reactor Netty keyed the host's pool by
	 */
	public void forgetHost(SocketAddress pool) {
		PooledHost.of(pool).authorities().forEach(this.budgets::remove);
	}

}
