package dev.steady.retry.internal;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.steady.client.internal.LongIdleReuse;
import dev.steady.client.internal.RetryPolicy;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The attempts of one {@code WebClient} request through {@link SafeRetryFilter}, one after
 * the other, as its {@link RetryPolicy.Call} decides. It is itself the success and the
 * failure handler of its current attempt, so that an attempt allocates no function.
 */
final class RetriedExchange implements Consumer<ClientResponse>, Function<Throwable, Mono<ClientResponse>> {

	private final ClientRequest request;

	private final ExchangeFunction next;

	private final RetryPolicy.Call call;

	private @Nullable TrackedRequest tracked;

	RetriedExchange(ClientRequest request, ExchangeFunction next, RetryPolicy.Call call) {
		this.request = request;
		this.next = next;
		this.call = call;
	}

	Mono<ClientResponse> attempt() {
		this.tracked = new TrackedRequest(this.request);
		Mono<ClientResponse> exchange = this.next.exchange(this.tracked);
		if (this.call.mayReuseLongIdle()) {
			exchange = exchange.contextWrite(LongIdleReuse::allow);
		}
		exchange = this.call.checksStatus() ? exchange.flatMap(this::onResponse) : exchange.doOnNext(this);
		return exchange.onErrorResume(this);
	}

	/** The current attempt succeeded, and its status is not one to retry: the call is done. */
	@Override
	public void accept(ClientResponse response) {
		this.call.onResponse(response.statusCode().value(), response.headers().asHttpHeaders());
	}

	private Mono<ClientResponse> onResponse(ClientResponse response) {
		long wait = this.call.onResponse(response.statusCode().value(), response.headers().asHttpHeaders());
		return (wait < 0) ? Mono.just(response) : response.releaseBody().then(nextAttempt(wait));
	}

	/** The current attempt failed. */
	@Override
	public Mono<ClientResponse> apply(Throwable failure) {
		TrackedRequest tracked = this.tracked;
		long wait = this.call.onFailure(failure, (tracked != null) ? tracked.connection() : null);
		return (wait < 0) ? Mono.error(this.call.explain(failure)) : nextAttempt(wait);
	}

	private Mono<ClientResponse> nextAttempt(long waitMillis) {
		Mono<ClientResponse> next = Mono.defer(this::attempt);
		return (waitMillis > 0) ? Mono.delay(Duration.ofMillis(waitMillis)).then(next) : next;
	}

}
