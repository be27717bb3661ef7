package dev.steady.interop;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real nginx with {@code keepalive_timeout 1s} (started by {@code .ci/interop.sh}),
 * at Steady's default settings: {@link RacingPostBursts#TEN_AROUND_ONE_SECOND}, first contact
 * included. Steady's client and a {@code WebClient.create()} in a Steady application never
 * fail; the same hand-made client with {@code steady.global.enabled=false} does, which proves
 * the race is there.
 */
class NginxInteropTests {

	private static final String NGINX = System.getProperty("steady.interop.nginx-url", "http://127.0.0.1:18080");

	private final ApplicationContextRunner contextRunner = ClientInASteadyApplication.application();

	@Test
	void steadyClientNeverFails() {
		this.contextRunner.run((context) -> assertThat(postBursts(context.getBean(WebClient.Builder.class).build()))
			.as("failed POSTs by cause")
			.isEmpty());
	}

	@Test
	void handMadeClientInASteadyApplicationNeverFails() {
		this.contextRunner.run((context) -> assertThat(postBursts(WebClient.create())).as("failed POSTs by cause")
			.isEmpty());
	}

	@Test
	void handMadeClientFailsWhenTheGlobalPoolIsLeftAlone() {
		this.contextRunner.withPropertyValues("steady.global.enabled=false")
			.run((context) -> assertThat(postBursts(WebClient.create())).as("failed POSTs by cause").isNotEmpty());
	}

	private static Map<String, Integer> postBursts(WebClient client) {
		return RacingPostBursts.TEN_AROUND_ONE_SECOND.send(client, NGINX + "/", NginxRequestLog.newIdPrefix("nginx-1s"))
			.byCause();
	}

}
