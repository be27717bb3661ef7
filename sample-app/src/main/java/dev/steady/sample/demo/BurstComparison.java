package dev.steady.sample.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.steady.client.internal.FailureClassifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends the same bursts through a client to the {@link UnfriendlyUpstream} and reports what
 * happened on both sides of the wire. Requests alternate GET and POST (without an
 * idempotency key), bursts of {@code concurrency} requests are separated by {@code pause}.
 */
public class BurstComparison {

	/** Request ids of GETs, which may run twice, and of POSTs without a key, which must not. */
	private static final String GET_ID = "get-";

	private static final String POST_ID = "post-";

	private static final AtomicInteger RUNS = new AtomicInteger();

	private final UnfriendlyUpstream upstream;

	private final MeterRegistry meters;

	public BurstComparison(UnfriendlyUpstream upstream, MeterRegistry meters) {
		this.upstream = upstream;
		this.meters = meters;
	}

	/**
	 * Run the bursts through one client.
	 * @param label the caller name the upstream counts executions under
	 * @param client the client
	 * @param steadyClientName the Steady client's name, to read its retry counter, or
	 * {@code null} for a plain client
	 * @param requests how many requests in all
	 * @param concurrency how many requests in flight together, per burst
	 * @param pause the pause between bursts
	 * @return the report
	 */
	public ClientReport run(String label, WebClient client, String steadyClientName, int requests, int concurrency,
			Duration pause) {
		this.upstream.reset(label);
		double retriesBefore = retries(steadyClientName);
		String run = "run" + RUNS.incrementAndGet() + "-";
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		Map<String, Integer> failures = Collections.synchronizedMap(new TreeMap<>());
		for (int start = 0; start < requests; start += concurrency) {
			int size = Math.min(concurrency, requests - start);
			int first = start;
			Flux.range(first, size)
				.flatMap((i) -> send(client, label, run + ((i % 2 == 0) ? GET_ID : POST_ID) + i,
						(i % 2 == 0) ? HttpMethod.GET : HttpMethod.POST)
					.doOnNext((tuple) -> latencies.add(tuple))
					.onErrorResume((ex) -> {
						failures.merge(FailureClassifier.classify(ex).tag(), 1, Integer::sum);
						return Mono.empty();
					}), size)
				.blockLast(Duration.ofMinutes(2));
			if (start + concurrency < requests) {
				Mono.delay(pause).block();
			}
		}
		Map<String, Integer> executions = this.upstream.executionsOf(label);
		int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
		return new ClientReport(label, requests, requests - failed, failed, Map.copyOf(failures),
				Math.round(retries(steadyClientName) - retriesBefore),
				executions.values().stream().mapToInt(Integer::intValue).sum(),
				(int) executions.entrySet()
					.stream()
					.filter((execution) -> execution.getKey().contains(POST_ID) && execution.getValue() > 1)
					.count(),
				this.upstream.connectionsOf(label), percentile(latencies, 50), percentile(latencies, 99));
	}

	private Mono<Long> send(WebClient client, String label, String id, HttpMethod method) {
		WebClient.RequestBodySpec request = client.method(method)
			.uri(this.upstream.url() + "/work")
			.header(UnfriendlyUpstream.CALLER, label)
			.header(UnfriendlyUpstream.REQUEST_ID, id);
		if (method == HttpMethod.POST) {
			request.bodyValue("order " + id);
		}
		return request.retrieve().toBodilessEntity().elapsed().map((timed) -> timed.getT1());
	}

	private double retries(String steadyClientName) {
		if (steadyClientName == null) {
			return 0;
		}
		Counter counter = this.meters.find("steady.client.retries")
			.tags("client", steadyClientName, "outcome", "retried")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static long percentile(List<Long> values, int percentile) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

}
