package dev.steady.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import dev.steady.client.ClientSettings;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Runs {@code RestClient} requests on a Steady client: its Reactor Netty {@link HttpClient}
 * (the pool, timeouts and connection rules of its {@code WebClient}) and its
 * {@link RetryPolicy}, whose decisions the calling thread carries out between attempts.
 * The request body is buffered and sent as one buffer the event loop writes, so no thread,
 * and no event loop, ever parks writing it, whatever the server does during the upload.
 * The caller waits for the response, at most for the client's call limit, and is woken once
 * the event loop is done with the read that brought the response's head: a small body is
 * complete by then, and its connection back in the pool. A larger body is read through an
 * input stream as it arrives.
 */
public final class SteadyClientHttpRequestFactory implements ClientHttpRequestFactory {

	private final String clientName;

	private final HttpClient httpClient;

	private final RetryPolicy retry;

	private final long callLimitNanos;

	/**
	 * Create the factory of one client.
	 * @param clientName the client's name, for messages
	 * @param httpClient the client's HTTP client, with Spring Boot's settings applied
	 * @param retry the client's retry
	 * @param callLimit the longest a call may wait for its response, every attempt included
	 */
	public SteadyClientHttpRequestFactory(String clientName, HttpClient httpClient, RetryPolicy retry,
			Duration callLimit) {
		this.clientName = clientName;
		this.httpClient = httpClient;
		this.retry = retry;
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
	 * Run a request, attempt after attempt as the client's retry decides, and wait for its
	 * response.
	 * @param method the request's method
	 * @param uri the request's URI
	 * @param headers the request's headers
	 * @param attributes the request's attributes
	 * @param body the request's body, or {@code null} for none
	 * @return the response, its body still to be read
	 * @throws IOException if the exchange failed, or did not answer within the call limit
	 */
	ClientHttpResponse execute(HttpMethod method, URI uri, HttpHeaders headers, Map<String, Object> attributes,
			byte @Nullable [] body) throws IOException {
		if (Schedulers.isInNonBlockingThread()) {
			throw new IllegalStateException("RestClient call " + method + " " + uri + " on non-blocking thread "
					+ Thread.currentThread().getName() + " would park it: call it from a worker thread, or use"
					+ " WebClient (Steady client '" + this.clientName + "')");
		}
		long deadline = System.nanoTime() + this.callLimitNanos;
		RetryPolicy.Call call = this.retry.start(method, uri, headers, attributes);
		while (true) {
			Attempt attempt = new Attempt(headers, body);
			send(method, uri, attempt, call.mayReuseLongIdle());
			long wait;
			try {
				SteadyClientHttpResponse response = attempt.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				wait = call.onResponse(response.getStatusCode().value(), response.getHeaders());
				if (wait < 0) {
					return response;
				}
				response.close();
			}
			catch (ExecutionException ex) {
				Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
				wait = call.onFailure(failure, attempt.connection);
				if (wait < 0) {
					throw asIoException(method, uri, call.explain(failure));
				}
			}
			catch (TimeoutException ex) {
				abandon(attempt);
				throw callLimitReached(method, uri);
			}
			catch (InterruptedException ex) {
				abandon(attempt);
				throw interrupted(method, uri);
			}
			pause(wait, deadline, method, uri);
		}
	}

	private void send(HttpMethod method, URI uri, Attempt attempt, boolean mayReuseLongIdle) {
		HttpClient.RequestSender sender = this.httpClient
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(method.name()));
		sender = uri.isAbsolute() ? sender.uri(uri) : sender.uri(uri.toString());
		Mono<SteadyClientHttpResponse> exchange = sender.send(attempt)
			.responseConnection((response, connection) -> Mono.just(new SteadyClientHttpResponse(response, connection)))
			.next();
		if (mayReuseLongIdle) {
			exchange = exchange.contextWrite(LongIdleReuse::allow);
		}
		exchange.subscribe(attempt);
	}

	/** Wait before the next attempt, within the call limit. */
	private void pause(long waitMillis, long deadline, HttpMethod method, URI uri) throws IOException {
		if (waitMillis <= 0) {
			return;
		}
		if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) - deadline > 0) {
			throw callLimitReached(method, uri);
		}
		try {
			Thread.sleep(waitMillis);
		}
		catch (InterruptedException ex) {
			throw interrupted(method, uri);
		}
	}

	/** Cancel the attempt, closing its connection; a response that arrived meanwhile is discarded. */
	private static void abandon(Attempt attempt) {
		if (!attempt.cancel(true)) {
			attempt.thenAccept(SteadyClientHttpResponse::discard);
		}
	}

	private SocketTimeoutException callLimitReached(HttpMethod method, URI uri) {
		return new SocketTimeoutException("Steady client '" + this.clientName + "' got no response to " + method + " "
				+ uri + " within " + Duration.ofNanos(this.callLimitNanos).toMillis() + " ms; the exchange was cancelled");
	}

	private static InterruptedIOException interrupted(HttpMethod method, URI uri) {
		Thread.currentThread().interrupt();
		return new InterruptedIOException("Interrupted waiting for the response to " + method + " " + uri);
	}

	private IOException asIoException(HttpMethod method, URI uri, Throwable failure) {
		if (failure instanceof IOException io) {
			return io;
		}
		if (FailureClassifier.classify(failure) == FailureCause.TIMEOUT) {
			return new IOException("No response to " + method + " " + uri + " within the response timeout of Steady"
					+ " client '" + this.clientName + "' (the server neither answered nor took the request); its"
					+ " connection was closed", failure);
		}
		String message = failure.getMessage();
		return new IOException((message != null) ? message : failure.getClass().getSimpleName(), failure);
	}

	/**
	 * One attempt of a call: it writes the request on the connection it is given, remembers
	 * that connection, and is the response the caller waits for. A response that arrives
	 * after the caller gave up is released at once, never left holding its connection.
	 */
	private static final class Attempt extends CompletableFuture<SteadyClientHttpResponse>
			implements CoreSubscriber<SteadyClientHttpResponse>,
			BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> {

		private final HttpHeaders headers;

		private final byte @Nullable [] body;

		private final AtomicReference<@Nullable Subscription> subscription = new AtomicReference<>();

		/** The connection the request was last written on. */
		private volatile @Nullable Connection connection;

		/** Whether the response came, to be handed to the caller once its event loop's reads are done. */
		private volatile boolean responded;

		Attempt(HttpHeaders headers, byte @Nullable [] body) {
			this.headers = headers;
			this.body = body;
		}

		/** Write the request: called again if Reactor Netty retries it on another connection. */
		@Override
		public Publisher<Void> apply(HttpClientRequest request, NettyOutbound outbound) {
			if (request instanceof Connection written) {
				this.connection = written;
			}
			this.headers.forEach((name, values) -> request.requestHeaders().set(name, values));
			return (this.body != null) ? outbound.send(Mono.just(Unpooled.wrappedBuffer(this.body))) : Mono.empty();
		}

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
		public void onNext(SteadyClientHttpResponse response) {
			this.responded = true;
			response.afterCurrentReads(() -> {
				if (!complete(response)) {
					response.discard();
				}
			});
		}

		@Override
		public void onError(Throwable failure) {
			completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			if (!this.responded) {
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
