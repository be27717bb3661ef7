package dev.steady.interop;

import java.time.Duration;

import dev.steady.testserver.Burst;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production-size twin of {@code PostOnlyReuseTests}, against a real nginx with its
 * default {@code keepalive_timeout 75s} (started by {@code .ci/interop.sh}), at default
 * settings: a caller that sends only POSTs without an idempotency key, so nothing it sends is
 * ever retried, reuses its connections about as Boot's plain client does, where a strict client
 * ({@code reuse-proven-idle-only=true}) does not. nginx's log counts the connections that
 * carried the requests, and how often each request ran.
 */
class PostOnlyReuseInteropTests {

	private static final String NGINX = System.getProperty("steady.interop.nginx-keepalive-url",
			"http://127.0.0.1:18082") + "/";

	private static final int MOST_CONNECTIONS_ONE_AT_A_TIME = 3;

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 200;

	/** Twice what a pool of one burst needs, once, and then reuse. */
	private static final int MOST_CONNECTIONS_FOR_BURSTS = 2 * BURST_SIZE + BURST_SIZE / 5;

	private final ApplicationContextRunner contextRunner = ClientInASteadyApplication.application();

	private final NginxRequestLog nginx = NginxRequestLog.fromSystemProperty();

	@ParameterizedTest
	@EnumSource(ClientInASteadyApplication.class)
	void fortyPostsOneAtATime250MsApartOpenAtMostThreeConnections(ClientInASteadyApplication client) {
		assertOneAtATimeReuses(client, 40, Duration.ofMillis(250));
	}

	@ParameterizedTest
	@EnumSource(ClientInASteadyApplication.class)
	void twelvePostsOneAtATime1500MsApartOpenAtMostThreeConnections(ClientInASteadyApplication client) {
		assertOneAtATimeReuses(client, 12, Duration.ofMillis(1500));
	}

	@Test
	void strictClientTakesFreshConnectionsForPostsAfterPauses() {
		String idPrefix = NginxRequestLog.newIdPrefix("one-at-a-time-strict");
		int count = 20;
		this.contextRunner.withPropertyValues("steady.client-defaults.pool.reuse-proven-idle-only=true")
			.run((context) -> postOneAtATime(ClientInASteadyApplication.STEADY_BUILDER.in(context), idPrefix, count,
					Duration.ofMillis(250)));
		assertThat(this.nginx.awaitExecuted(idPrefix, count).connections())
			.as("connections for %d POSTs 250 ms apart by a strict client", count)
			.isGreaterThan(MOST_CONNECTIONS_ONE_AT_A_TIME);
	}

	@Test
	void tenBurstsOf200PostsOneSecondApartOpenAtMost440Connections() {
		String idPrefix = NginxRequestLog.newIdPrefix("bursts-of-200");
		this.contextRunner.run((context) -> {
			WebClient client = ClientInASteadyApplication.STEADY_BUILDER.in(context);
			for (int burst = 0; burst < BURSTS; burst++) {
				assertThat(Burst.fire(client, HttpMethod.POST, NGINX, BURST_SIZE, idPrefix + burst + "-", false))
					.as("failed POSTs of burst %d", burst)
					.isEmpty();
				// the pause is the scenario: a caller busy once a second
				Mono.delay(Duration.ofSeconds(1)).block();
			}
		});
		NginxRequestLog.Executed executed = this.nginx.awaitExecuted(idPrefix, BURSTS * BURST_SIZE);
		assertThat(executed.mostExecutionsOfOneRequest()).as("executions of one POST").isOne();
		assertThat(executed.connections()).as("connections for %d bursts of %d POSTs 1 s apart", BURSTS, BURST_SIZE)
			.isLessThanOrEqualTo(MOST_CONNECTIONS_FOR_BURSTS);
	}

	private void assertOneAtATimeReuses(ClientInASteadyApplication kind, int count, Duration pause) {
		String idPrefix = NginxRequestLog.newIdPrefix("one-at-a-time-" + kind);
		this.contextRunner.run((context) -> postOneAtATime(kind.in(context), idPrefix, count, pause));
		NginxRequestLog.Executed executed = this.nginx.awaitExecuted(idPrefix, count);
		assertThat(executed.mostExecutionsOfOneRequest()).as("executions of one POST").isOne();
		assertThat(executed.connections()).as("connections for %d POSTs %d ms apart by %s", count, pause.toMillis(), kind)
			.isLessThanOrEqualTo(MOST_CONNECTIONS_ONE_AT_A_TIME);
	}

	private static void postOneAtATime(WebClient client, String idPrefix, int count, Duration pause) {
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				// the pause is the scenario: far below nginx's 75 s keep-alive timeout
				Mono.delay(pause).block();
			}
			assertThat(Burst.fire(client, HttpMethod.POST, NGINX, 1, idPrefix + i + "-", false))
				.as("failed POST %d", i)
				.isEmpty();
		}
	}

}
