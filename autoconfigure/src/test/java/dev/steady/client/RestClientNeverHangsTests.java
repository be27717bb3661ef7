package dev.steady.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.RestBurst;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Experiment.
 */
class RestClientNeverHangsTests {

	private final MisbehavingServer server = MisbehavingServer.builder().closeDuringUpload().start();

	private final RestBurst bursts = new RestBurst();

	@AfterEach
	void stop() {
		this.bursts.close();
		this.server.close();
	}

	@Test
	void bootsPlainRequestFactoryFreezes() throws Exception {
		RestClient client = RestClient.builder()
			.requestFactory(ClientHttpRequestFactoryBuilder.reactor().build())
			.baseUrl(this.server.url())
			.build();
		List<RestBurst.Outcome> outcomes = new ArrayList<>();
		for (int burst = 0; burst < 2; burst++) {
			outcomes.add(this.bursts.fire(client, HttpMethod.POST, "/post", 100, "b" + burst + "-", Duration.ofSeconds(10)));
			Thread.sleep(500);
		}
		outcomes.forEach((o) -> System.out.println("ok " + o.succeeded() + " failed " + o.failures().size() + " blocked " + o.stillBlocked() + " " + o.failures().stream().map(Throwable::getMessage).distinct().toList()));
	}

}
