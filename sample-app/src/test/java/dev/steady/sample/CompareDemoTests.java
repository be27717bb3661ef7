package dev.steady.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The showcase over HTTP: the plain client (WebClient.create() without Steady) fails against
 * the unfriendly upstream in every burst after the first; Steady's client does not, and
 * WebClient.create() in this Steady application loses at most the burst that reveals that the
 * upstream forgets idle connections silently; nothing is executed twice.
 */
// the upstream executes what arrives on a forgotten connection before dropping it, so a
// request resent after a stale connection is executed twice and counted
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.demo.upstream.execute-before-dropping=true")
@AutoConfigureWebTestClient(timeout = "PT2M")
class CompareDemoTests {

	@Autowired
	private WebTestClient http;

	@Test
	@SuppressWarnings("unchecked")
	void steadyHasNoFailuresAndNoDuplicatesWhereThePlainClientFails() {
		Map<String, Map<String, Object>> reports = this.http.get()
			.uri("/demo/compare?requests=800&concurrency=200&pause=1100ms")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Map<String, Object>>>() {
			})
			.returnResult()
			.getResponseBody();
		System.out.println("compare: " + reports);
		Map<String, Object> plain = reports.get("plain");
		Map<String, Object> steady = reports.get("steady");
		assertThat(plain).containsKeys("requests", "ok", "failed", "failuresByCause", "retries", "serverExecutions",
				"duplicateExecutions", "connections", "p50Ms", "p99Ms");
		assertThat((Integer) plain.get("failed")).isPositive();
		assertThat((Map<String, Integer>) plain.get("failuresByCause")).containsKey("stale-connection");
		// the upstream forgets idle connections without a FIN: at defaults, a client without retry may lose the
		// one burst (200 requests) that reveals that, and nothing after; the plain client may lose fewer in all,
		// spread over every burst
		assertThat((Integer) reports.get("hand-made").get("failed")).as("WebClient.create() in a Steady application")
			.isLessThanOrEqualTo(200);
		assertThat(steady.get("duplicateExecutions")).isEqualTo(0);
		assertThat(steady.get("failed")).isEqualTo(0);
		assertThat(steady.get("ok")).isEqualTo(800);
	}

	@Test
	void badParametersAreRejected() {
		this.http.get().uri("/demo/compare?requests=0").exchange().expectStatus().isBadRequest();
		this.http.get().uri("/demo/compare?pause=1h").exchange().expectStatus().isBadRequest();
	}

}
