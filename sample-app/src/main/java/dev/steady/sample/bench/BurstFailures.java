package dev.steady.sample.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.steady.client.SteadyClients;
import dev.steady.sample.demo.BurstComparison;
import dev.steady.sample.demo.ClientReport;
import dev.steady.sample.demo.DemoProperties;
import dev.steady.sample.demo.UnfriendlyUpstream;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The burst scenario of {@code /demo/compare}: bursts of GETs and POSTs (without an
 * idempotency key) to the sample's {@link UnfriendlyUpstream}, which silently forgets
 * connections idle for its default idle timeout, separated by a pause longer than that.
 * Every client runs the same bursts; its failures are reported per 10,000 requests.
 */
final class BurstFailures {

	private final BenchmarkSettings settings;

	BurstFailures(BenchmarkSettings settings) {
		this.settings = settings;
	}

	/**
	 * Run the bursts through each client, one client after the other.
	 * @param clients the clients
	 * @return each client's report, by its label
	 */
	Map<String, ClientReport> run(BenchmarkClients clients) {
		UnfriendlyUpstream upstream = new UnfriendlyUpstream(new DemoProperties.Upstream());
		upstream.start();
		try {
			BurstComparison comparison = new BurstComparison(upstream, clients.steadyMeters());
			Map<String, ClientReport> reports = new LinkedHashMap<>();
			for (BurstClient client : List.of(new BurstClient("plain", clients.plain(), null),
					new BurstClient("bare", clients.bareWebClient(), null),
					new BurstClient("steady", clients.steady(), SteadyClients.DEFAULT_CLIENT),
					new BurstClient(BenchmarkClients.HAND_MADE_COLUMN, WebClient.create(), null),
					new BurstClient(BenchmarkClients.SHORT_IDLE, clients.shortIdle(), BenchmarkClients.SHORT_IDLE))) {
				reports.put(client.label(), comparison.run(client.label(), client.webClient(), client.steadyName(),
						this.settings.burstRequests(), this.settings.burstConcurrency(), this.settings.burstPause()));
			}
			return reports;
		}
		finally {
			upstream.stop();
		}
	}

	static double perTenThousand(ClientReport report) {
		return report.failed() * 10_000.0 / report.requests();
	}

	/**
	 * One client of the scenario.
	 *
	 * @param label the client's column and its name at the upstream
	 * @param webClient the client
	 * @param steadyName the Steady client's name, to count its retries, or {@code null}
	 */
	private record BurstClient(String label, WebClient webClient, @Nullable String steadyName) {
	}

}
