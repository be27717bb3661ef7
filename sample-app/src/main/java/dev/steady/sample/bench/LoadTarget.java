package dev.steady.sample.bench;

import java.net.URI;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One client under load and how it sends one request: a GET whose small body is read as a
 * string, failing on any status other than 200.
 *
 * @param name how the client appears in the tables
 * @param request a new request, sent when subscribed to
 */
record LoadTarget(String name, Supplier<Mono<String>> request) {

	static LoadTarget of(String name, WebClient client, String url) {
		URI uri = URI.create(url);
		return new LoadTarget(name, () -> client.get().uri(uri).retrieve().bodyToMono(String.class));
	}

	static LoadTarget of(String name, RestClient client, String url, Scheduler workers) {
		URI uri = URI.create(url);
		return new LoadTarget(name,
				() -> Mono.fromCallable(() -> client.get().uri(uri).retrieve().body(String.class)).subscribeOn(workers));
	}

	static LoadTarget of(String name, HttpClient client, String url) {
		return new LoadTarget(name, () -> client.get()
			.uri(url)
			.responseSingle((response, body) -> (response.status().code() == 200) ? body.asString()
					: Mono.error(new IllegalStateException("Unexpected status " + response.status()))));
	}

}
