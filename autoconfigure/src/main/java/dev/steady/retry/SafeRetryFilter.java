package dev.steady.retry;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.steady.client.ClientSettings;
import dev.steady.client.ConnectionUse;
import dev.steady.client.LongIdleReuse;
import dev.steady.client.StaleConnectionSuspects;
import dev.steady.client.SteadyClientFilter;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Retries a failed exchange with Resilience4j only when that cannot execute a request twice
 * that must run once:
 * <ul>
 * <li>a request that was never sent ({@link FailureCause#NOT_SENT}) is retried whatever its
 * method;</li>
 * <li>a request whose connection died before any response ({@link FailureCause#STALE_CONNECTION})
 * is retried only if its method is idempotent or it carries an idempotency key;</li>
 * <li>an opted-in status (502, 503, ...) is retried for such requests only, after its
 * {@code Retry-After} if that is short enough;</li>
 * <li>nothing else is retried.</li>
 * </ul>
 * Retries are bounded by the attempts of the Resilience4j retry and, except after a stale
 * reused keep-alive connection (which says nothing of the server's load), by the host's
 * {@link RetryBudget}, so an outage never multiplies traffic.
 * Steady makes every safety decision itself; the Resilience4j {@link Retry} only schedules
 * the attempts. A request Steady declined to retry is never sent again, whatever the
 * Resilience4j instance's own exception rules say.
 */
public final class SafeRetryFilter implements SteadyClientFilter {

	/** Request attribute that turns retry off for one request, for a body that cannot be sent twice. */
	public static final String NO_RETRY_ATTRIBUTE = SafeRetryFilter.class.getName() + ".noRetry";

	private static final Log logger = LogFactory.getLog(SafeRetryFilter.class);

	private static final Duration BUDGET_WARNING_INTERVAL = Duration.ofSeconds(10);

	/** Bound on the hosts a client keeps budgets for; past it, budgets start afresh. */
	private static final int MAX_HOSTS = 10_000;

	private final String clientName;

	private final ClientSettings.Retry settings;

	private final Retry retry;

	private final RetryObserver observer;

	private final StaleConnectionSuspects suspects;

	private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();

	private final AtomicLong lastBudgetWarning = new AtomicLong();

	/**
	 * Create the filter of one client.
	 * @param clientName the client's name, for metrics and logs
	 * @param settings the client's retry settings
	 * @param retry the Resilience4j retry that schedules the attempts
	 * @param observer told of every failure and decision
	 * @param suspects told when a reused connection dies stale, so the retry avoids its peers
	 */
	public SafeRetryFilter(String clientName, ClientSettings.Retry settings, Retry retry, RetryObserver observer,
			StaleConnectionSuspects suspects) {
		this.clientName = clientName;
		this.settings = settings;
		this.retry = retry;
		this.observer = observer;
		this.suspects = suspects;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (Boolean.TRUE.equals(request.attribute(NO_RETRY_ATTRIBUTE).orElse(null))) {
			return next.exchange(request);
		}
		return Mono.defer(() -> {
			Exchange exchange = new Exchange(request, next, budgetOf(request.url()));
			return Mono.defer(exchange::attempt)
				.transformDeferred(RetryOperator.of(this.retry))
				.onErrorMap(RetrySignal.class, RetrySignal::getCause);
		});
	}

	private RetryBudget budgetOf(URI url) {
		if (this.budgets.size() > MAX_HOSTS) {
			this.budgets.clear();
		}
		ClientSettings.Budget budget = this.settings.getBudget();
		// the authority (host and port as written) is parsed once per URI, so keying by it allocates nothing
		String host = (url.getRawAuthority() != null) ? url.getRawAuthority() : String.valueOf(url.getHost());
		return this.budgets.computeIfAbsent(host, (key) -> new RetryBudget(
				budget.getRatio(), budget.getMinPerSecond(), budget.getTtl(), System::currentTimeMillis));
	}

	private boolean mayHaveReachedTheServerSafely(ClientRequest request) {
		if (this.settings.getMethods().contains(request.method())) {
			return true;
		}
		HttpHeaders headers = request.headers();
		return this.settings.isHonorIdempotencyKey()
				&& (headers.containsHeader("Idempotency-Key") || headers.containsHeader("X-Idempotency-Key"));
	}

	private void warnBudgetExhausted(ClientRequest request) {
		long now = System.nanoTime();
		long last = this.lastBudgetWarning.get();
		if ((last == 0 || now - last > BUDGET_WARNING_INTERVAL.toNanos())
				&& this.lastBudgetWarning.compareAndSet(last, now)) {
			logger.warn("Retry budget of Steady client '" + this.clientName + "' for " + request.url().getHost() + ":"
					+ request.url().getPort() + " is spent; failures are returned without retry (at most "
					+ this.settings.getBudget().getRatio() + " of recent requests plus "
					+ this.settings.getBudget().getMinPerSecond() + "/s may be retried)");
		}
	}

	/** The attempts of one request. */
	private final class Exchange {

		private final ClientRequest request;

		private final ExchangeFunction next;

		private final RetryBudget budget;

		private final boolean idempotent;

		private int attempts;

		/** Set once Steady decided not to retry: later resubscriptions return it unsent. */
		private @Nullable Throwable finalFailure;

		Exchange(ClientRequest request, ExchangeFunction next, RetryBudget budget) {
			this.request = request;
			this.next = next;
			this.budget = budget;
			this.idempotent = mayHaveReachedTheServerSafely(request);
			budget.recordRequest();
		}

		Mono<ClientResponse> attempt() {
			if (this.finalFailure != null) {
				return Mono.error(this.finalFailure);
			}
			int attempt = ++this.attempts;
			if (attempt > 1 && logger.isDebugEnabled()) {
				logger.debug("Steady client '" + SafeRetryFilter.this.clientName + "' retrying " + this.request.method()
						+ " " + this.request.url() + " (attempt " + attempt + ")");
			}
			AtomicReference<@Nullable ConnectionUse> connection = new AtomicReference<>();
			ClientRequest tracked = ClientRequest.from(this.request)
				.httpRequest((httpRequest) -> connection.set(ConnectionUse.of(httpRequest)))
				.build();
			Mono<ClientResponse> exchange = this.next.exchange(tracked);
			if (this.idempotent && attempt < maxAttempts()) {
				// a stale failure of this attempt is retried: it may reuse a connection of unproven idle time
				exchange = exchange.contextWrite(LongIdleReuse::allow);
			}
			return exchange.flatMap((response) -> onResponse(response, attempt))
				.onErrorMap((ex) -> !(ex instanceof RetrySignal), (ex) -> onFailure(ex, attempt, connection.get()));
		}

		private Mono<ClientResponse> onResponse(ClientResponse response, int attempt) {
			int status = response.statusCode().value();
			if (SafeRetryFilter.this.settings.getStatuses().contains(status) && this.idempotent
					&& attempt < maxAttempts()) {
				Duration wait = RetryAfter.parse(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
						Instant.now());
				if (wait.compareTo(SafeRetryFilter.this.settings.getMaxRetryAfter()) <= 0) {
					if (spendBudget()) {
						SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName, RetryOutcome.RETRIED);
						RetrySignal signal = new RetrySignal(new RetryableStatusException(status));
						return response.releaseBody().then(Mono.delay(wait)).then(Mono.error(signal));
					}
					SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName,
							RetryOutcome.BUDGET_EXHAUSTED);
				}
			}
			if (attempt > 1) {
				SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName,
						RetryOutcome.SUCCEEDED_AFTER_RETRY);
			}
			return Mono.just(response);
		}

		private Throwable onFailure(Throwable failure, int attempt, @Nullable ConnectionUse connection) {
			FailureCause cause = FailureClassifier.classify(failure);
			SafeRetryFilter.this.observer.failed(SafeRetryFilter.this.clientName, cause);
			boolean staleReused = cause == FailureCause.STALE_CONNECTION && connection != null && connection.reused();
			if (staleReused) {
				// before any retry is scheduled, so that it cannot land on an equally stale connection
				SafeRetryFilter.this.suspects.staleConnectionFailed(SafeRetryFilter.this.clientName, connection.remote());
			}
			RetryOutcome outcome = decide(cause, attempt, staleReused);
			SafeRetryFilter.this.observer.decided(SafeRetryFilter.this.clientName, outcome);
			if (outcome == RetryOutcome.RETRIED) {
				return new RetrySignal(failure);
			}
			this.finalFailure = failure;
			return failure;
		}

		private RetryOutcome decide(FailureCause cause, int attempt, boolean staleReused) {
			boolean safe = cause == FailureCause.NOT_SENT || (cause == FailureCause.STALE_CONNECTION && this.idempotent);
			if (!safe) {
				return RetryOutcome.NOT_RETRYABLE;
			}
			if (attempt >= maxAttempts()) {
				return RetryOutcome.ATTEMPTS_EXHAUSTED;
			}
			// a keep-alive connection that went stale says nothing of the server's load: like Go,
			// retry it freely; failures of fresh connections (an outage) are held to the budget
			if (staleReused) {
				return RetryOutcome.RETRIED;
			}
			return spendBudget() ? RetryOutcome.RETRIED : RetryOutcome.BUDGET_EXHAUSTED;
		}

		private boolean spendBudget() {
			if (this.budget.tryRetry()) {
				return true;
			}
			warnBudgetExhausted(this.request);
			return false;
		}

		private int maxAttempts() {
			return SafeRetryFilter.this.retry.getRetryConfig().getMaxAttempts();
		}

	}

	/** Carries a failure Steady decided to retry through Resilience4j. */
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

}
