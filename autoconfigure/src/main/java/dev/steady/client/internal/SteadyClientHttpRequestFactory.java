package dev.steady.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.steady.client.ClientSettings;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Runs {@code RestClient} requests on a Steady client: the same Reactor Netty connector,
 * pool and exchange filters (safe retry) as its {@code WebClient}. The request body is
 * buffered and sent as one buffer the event loop writes, so no thread, and no event loop,
 * ever parks writing it, whatever the server does during the upload. The caller waits for
 * the response headers, at most for the client's call limit; the response body is read
 * through an input stream as it arrives.
 */
public final class SteadyClientHttpRequestFactory implements ClientHttpRequestFactory {

	private final String clientName;

	private final ExchangeFunction exchange;

	private final long callLimitNanos;

	/**
	 * Create the factory of one client.
	 * @param clientName the client's name, for messages
	 * @param exchange the client's connector behind its exchange filters
	 * @param callLimit the longest a call may wait for its response, every attempt included
	 */
	public SteadyClientHttpRequestFactory(String clientName, ExchangeFunction exchange, Duration callLimit) {
		this.clientName = clientName;
		this.exchange = exchange;
		this.callLimitNanos = callLimit.toNanos();
	}

	/**
	 * The longest a call of a client may take to get its response: for every attempt the
	 * wait for a pooled connection, the connect timeout and the response timeout (Boot's
	 * read timeout where it is longer), plus the longest waits between attempts.
	 * @param settings the client's settings
	 * @param readTimeout Spring Boot's read timeout of the client, or {@code null}
	 * @return the limit
	 */
	public static Duration callLimit(ClientSettings settings, @Nullable Duration readTimeout) {
		Duration response = (readTimeout != null && readTimeout.compareTo(settings.responseTimeout()) > 0) ? readTimeout
				: settings.responseTimeout();
		Duration attempt = settings.pool().pendingAcquireTimeout().plus(settings.connectTimeout()).plus(response);
		ClientSettings.Retry retry = settings.retry();
		int attempts = retry.enabled() ? Math.max(1, retry.maxAttempts()) : 1;
		Duration longestWait = retry.backoff().max().plus(retry.maxRetryAfter());
		return attempt.multipliedBy(attempts).plus(longestWait.multipliedBy(attempts - 1L));
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new SteadyClientHttpRequest(this, uri, httpMethod);
	}

	/**
	 * Run a request through the client's filters and connector, and wait for its response.
	 * @param request the request
	 * @return the response, its body still to be read
	 * @throws IOException if the exchange failed, or did not answer within the call limit
	 */
	ClientHttpResponse execute(ClientRequest request) throws IOException {
		if (Schedulers.isInNonBlockingThread()) {
			throw new IllegalStateException("RestClient call " + request.method() + " " + request.url()
					+ " on non-blocking thread " + Thread.currentThread().getName() + " would park it: call it from"
					+ " a worker thread, or use WebClient (Steady client '" + this.clientName + "')");
		}
		PendingResponse response = new PendingResponse();
		this.exchange.exchange(request).subscribe(response);
		try {
			return response.get(this.callLimitNanos, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw asIoException(request, ex.getCause());
		}
		catch (TimeoutException ex) {
			abandon(response);
			throw new SocketTimeoutException("Steady client '" + this.clientName + "' got no response to "
					+ request.method() + " " + request.url() + " within "
					+ Duration.ofNanos(this.callLimitNanos).toMillis() + " ms; the exchange was cancelled");
		}
		catch (InterruptedException ex) {
			abandon(response);
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted waiting for the response to " + request.method() + " "
					+ request.url());
		}
	}

	/** Cancel the exchange, closing its connection; a response that arrived meanwhile is discarded. */
	private static void abandon(PendingResponse response) {
		if (!response.cancel(true)) {
			response.thenAccept(SteadyClientHttpResponse::discard);
		}
	}

	private IOException asIoException(ClientRequest request, @Nullable Throwable failure) {
		if (failure instanceof IOException io) {
			return io;
		}
		if (failure == null) {
			return new IOException("Exchange failed");
		}
		if (FailureClassifier.classify(failure) == FailureCause.TIMEOUT) {
			return new IOException("No response to " + request.method() + " " + request.url()
					+ " within the response timeout of Steady client '" + this.clientName
					+ "' (the server neither answered nor took the request); its connection was closed", failure);
		}
		String message = failure.getMessage();
		return new IOException((message != null) ? message : failure.getClass().getSimpleName(), failure);
	}

	/**
	 * The response a caller waits for. A response that arrives after the caller gave up is
	 * released at once, never left holding its connection.
	 */
	private static final class PendingResponse extends CompletableFuture<SteadyClientHttpResponse>
			implements CoreSubscriber<ClientResponse> {

		private final AtomicReference<@Nullable Subscription> subscription = new AtomicReference<>();

		@Override
		public void onSubscribe(Subscription subscription) {
			if (this.subscription.compareAndSet(null, subscription) && !isDone()) {
				subscription.request(Long.MAX_VALUE);
			}
			else {
				subscription.cancel();
			}
		}

		@Override
		public void onNext(ClientResponse response) {
			SteadyClientHttpResponse arrived = new SteadyClientHttpResponse(response);
			if (!complete(arrived)) {
				arrived.discard();
			}
		}

		@Override
		public void onError(Throwable failure) {
			completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			if (!isDone()) {
				completeExceptionally(new IOException("Exchange completed without a response"));
			}
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			Subscription subscription = this.subscription.get();
			if (cancelled && subscription != null) {
				subscription.cancel();
			}
			return cancelled;
		}

	}

}
