package dev.steady.autoconfigure.health;

import java.time.Duration;
import java.util.Map;

import dev.steady.autoconfigure.actuate.SteadyEndpoint;
import dev.steady.client.SteadyClients;
import dev.steady.testserver.MisbehavingH2cServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client's HTTP/2 pool in health, the endpoint and the meters, with a stream held open on
 * it by a server that falls silent: under its host, next to the host's HTTP/1.1 pool, with
 * its connections and its open streams.
 */
class Http2PoolVisibilityTests {

	private static final Duration CEILING = Duration.ofSeconds(30);

	private final MisbehavingH2cServer server = new MisbehavingH2cServer(MisbehavingH2cServer.Misbehaviour.SILENT);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withPropertyValues("steady.clients.h2c.protocols=h2c", "steady.clients.h2c.base-url=" + this.server.url(),
				"steady.clients.h2c.http2.max-connections=3", "steady.clients.h2c.response-timeout=60s",
				"steady.clients.h2c.http2.ping-interval=60s", "management.endpoints.web.exposure.include=steady");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void http2PoolIsShownUnderItsHostWithItsOpenStreams() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
			Disposable hanging = client.post().bodyValue("order").retrieve().bodyToMono(String.class).subscribe();
			try {
				String host = this.server.url().replace("http://", "").replace("/", "");
				SteadyEndpoint endpoint = context.getBean(SteadyEndpoint.class);
				await().atMost(CEILING)
					.untilAsserted(() -> assertThat(http2(endpoint.client("h2c").pools().get(host)))
						.containsEntry("activeStreams", 1)
						.containsEntry("connections", 1)
						.containsEntry("maxConnections", 3));
				Health health = ((ReactiveHealthIndicator) context.getBean(SteadyHealthContributor.class)
					.getContributor("h2c")).health().block(CEILING);
				assertThat(health.getDetails().get("hosts")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.extractingByKey(host)
					.satisfies((pools) -> assertThat(http2(pools)).containsEntry("activeStreams", 1));
				Gauge streams = context.getBean(MeterRegistry.class)
					.get("reactor.netty.connection.provider.active.streams")
					.tag("client", "h2c")
					.gauge();
				assertThat(streams.getId().getTag("name")).isEqualTo("http2.steady-h2c");
				assertThat(streams.value()).isEqualTo(1.0);
			}
			finally {
				hanging.dispose();
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> http2(Object pools) {
		assertThat(pools).as("the host's pools").isInstanceOf(Map.class);
		return (Map<String, Object>) ((Map<String, Object>) pools).get("http2");
	}

}
