package dev.steady.sample.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.steady.client.SteadyClients;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /demo/compare}: the same bursts through {@code WebClient.create()} as it is
 * without Steady ("plain"), through {@code WebClient.create()} in this Steady application
 * ("hand-made", on Steady's global pool) and through Steady's "upstream" client, against the
 * unfriendly upstream.
 */
@RestController
class CompareController {

	/** The Steady client of the comparison, configured under steady.clients.upstream. */
	static final String STEADY_CLIENT = "upstream";

	private final BurstComparison comparison;

	private final SteadyClients clients;

	CompareController(BurstComparison comparison, SteadyClients clients) {
		this.comparison = comparison;
		this.clients = clients;
	}

	@GetMapping("/demo/compare")
	Mono<Map<String, ClientReport>> compare(@RequestParam(defaultValue = "2000") int requests,
			@RequestParam(defaultValue = "500") int concurrency, @RequestParam(defaultValue = "1100ms") String pause) {
		Duration pauseBetweenBursts;
		try {
			pauseBetweenBursts = DurationStyle.detectAndParse(pause);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"pause must be a duration such as 1100ms or 1s"));
		}
		return compare(requests, concurrency, pauseBetweenBursts);
	}

	private Mono<Map<String, ClientReport>> compare(int requests, int concurrency, Duration pause) {
		if (requests < 1 || requests > 20_000 || concurrency < 1 || concurrency > 2000 || pause.isNegative()
				|| pause.compareTo(Duration.ofSeconds(10)) > 0) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"requests must be 1..20000, concurrency 1..2000 and pause 0..10s"));
		}
		return Mono.fromCallable(() -> compareNow(requests, concurrency, pause))
			.subscribeOn(Schedulers.boundedElastic());
	}

	Map<String, ClientReport> compareNow(int requests, int concurrency, Duration pause) {
		Map<String, ClientReport> reports = new LinkedHashMap<>();
		try (WithoutSteady withoutSteady = new WithoutSteady()) {
			reports.put("plain",
					this.comparison.run("plain", withoutSteady.webClient(), null, requests, concurrency, pause));
		}
		reports.put("hand-made",
				this.comparison.run("hand-made", WebClient.create(), null, requests, concurrency, pause));
		reports.put("steady", this.comparison.run("steady", this.clients.webClient(STEADY_CLIENT), STEADY_CLIENT,
				requests, concurrency, pause));
		return reports;
	}

}
