package dev.steady.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every series the Grafana dashboard ({@code docs/grafana/steady-dashboard.json}) queries exists
 * on the sample's {@code /actuator/prometheus} after traffic, with every label the dashboard
 * groups or filters by: a renamed meter or tag fails here, not on an operator's empty panel.
 */
// requests that must not be sent twice take fresh connections for safety, whatever the default
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "steady.client-defaults.pool.reuse-proven-idle-only=true")
@AutoConfigureWebTestClient(timeout = "PT30S")
class PrometheusDashboardTests {

	static final Path DASHBOARD = Path.of("..", "docs", "grafana", "steady-dashboard.json");

	private static final Pattern EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern METRIC = Pattern.compile("\\b((?:reactor_netty|steady|resilience4j)_[a-z0-9_]+)");

	private static final Pattern GROUPED_BY = Pattern.compile("by \\(([^)]*)\\)");

	private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*=~?\\s*\\\\?\"");

	/** Labels Prometheus adds when it scrapes, which the application never writes. */
	private static final Set<String> ADDED_BY_PROMETHEUS = Set.of("instance", "job");

	@Autowired
	private WebTestClient http;

	@Autowired
	private WebClient.Builder webClientBuilder;

	@LocalServerPort
	private int port;

	@Test
	void everySeriesTheDashboardQueriesIsScraped() throws IOException {
		sendTraffic();
		String scrape = this.http.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<String> expressions = expressions(Files.readString(DASHBOARD));
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
		List<String> missing = new ArrayList<>();
		for (String expression : expressions) {
			Set<String> labels = labels(expression);
			for (String metric : metrics(expression)) {
				List<String> series = scrape.lines()
					.filter((line) -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
					.toList();
				if (series.isEmpty()) {
					missing.add(metric);
				}
				for (String label : labels) {
					if (!ADDED_BY_PROMETHEUS.contains(label)
							&& series.stream().noneMatch((line) -> line.contains(label + "=\""))) {
						missing.add(metric + "{" + label + "}");
					}
				}
			}
		}
		assertThat(missing).as("series the dashboard queries that /actuator/prometheus does not have").isEmpty();
	}

	/**
	 * Successful calls through two clients, a hand-made client's call that takes a fresh
	 * connection for safety, and a call whose connection is refused, retried and failed.
	 */
	private void sendTraffic() throws IOException {
		this.http.get().uri("/demo/hello").exchange().expectStatus().isOk();
		this.http.get().uri("/demo/inventory").exchange().expectStatus().isOk();
		WebClient handMade = WebClient.create("http://127.0.0.1:" + this.port);
		for (int i = 0; i < 2; i++) {
			// the pause is the scenario: a connection idle longer than an unproven host may be reused after
			Mono.delay(Duration.ofMillis(300)).block();
			handMade.get().uri("/upstream/hello").retrieve().toBodilessEntity().block(Duration.ofSeconds(20));
		}
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		WebClient client = this.webClientBuilder.build();
		assertThatException().isThrownBy(() -> client.get()
			.uri("http://127.0.0.1:" + closedPort + "/")
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(20)));
	}

	static List<String> expressions(String dashboard) {
		List<String> expressions = new ArrayList<>();
		Matcher matcher = EXPR.matcher(dashboard);
		while (matcher.find()) {
			expressions.add(matcher.group(1));
		}
		return expressions;
	}

	private static Set<String> metrics(String expression) {
		Set<String> metrics = new LinkedHashSet<>();
		Matcher matcher = METRIC.matcher(expression);
		while (matcher.find()) {
			metrics.add(matcher.group(1));
		}
		return metrics;
	}

	private static Set<String> labels(String expression) {
		Set<String> labels = new LinkedHashSet<>();
		Matcher groupedBy = GROUPED_BY.matcher(expression);
		while (groupedBy.find()) {
			for (String label : groupedBy.group(1).split(",")) {
				labels.add(label.trim());
			}
		}
		Matcher matcher = MATCHER.matcher(expression);
		while (matcher.find()) {
			labels.add(matcher.group(1));
		}
		return labels;
	}

}
