package dev.steady.sample;

import java.net.URI;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Calls the "legacy" upstream through a {@code RestClient} HTTP service group. A blocking
 * call runs on a worker thread, never on the event loop (Steady refuses a blocking call
 * there rather than park it).
 */
@RestController
@ImportHttpServices(group = "legacy", types = LegacyApi.class)
class LegacyController {

	private final LegacyApi legacy;

	LegacyController(LegacyApi legacy) {
		this.legacy = legacy;
	}

	@GetMapping("/demo/legacy")
	Mono<Map<String, Object>> legacy(ServerHttpRequest request) {
		URI upstream = URI.create(
				request.getURI().getScheme() + "://localhost:" + request.getURI().getPort() + "/upstream/hello");
		return Mono.fromCallable(() -> this.legacy.hello(upstream))
			.subscribeOn(Schedulers.boundedElastic())
			.map((body) -> Map.of("client", "legacy", "upstreamSaid", body));
	}

}
