package dev.steady.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Fires concurrent requests at once and collects what failed.
 */
public final class Burst {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private Burst() {
	}

	/**
	 * Send {@code count} requests at once and wait for all of them.
	 * @param client the client to send them with
	 * @param method GET or POST (a POST carries a small body)
	 * @param url the URL
	 * @param count how many requests, all in flight together
	 * @return the failures, empty when every request succeeded
	 */
	public static List<Throwable> fire(WebClient client, HttpMethod method, String url, int count) {
		return Flux.range(0, count)
			.flatMap((i) -> send(client, method, url, i), count)
			.flatMap(Mono::justOrEmpty)
			.collectList()
			.block(CEILING);
	}

	private static Mono<Optional<Throwable>> send(WebClient client, HttpMethod method, String url, int i) {
		WebClient.RequestBodySpec request = client.method(method).uri(url);
		if (method == HttpMethod.POST) {
			request.bodyValue("request " + i);
		}
		return request.retrieve()
			.toBodilessEntity()
			.map((response) -> Optional.<Throwable>empty())
			.onErrorResume((ex) -> Mono.just(Optional.of(ex)));
	}

}
