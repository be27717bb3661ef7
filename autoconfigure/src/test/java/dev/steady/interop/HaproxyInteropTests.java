package dev.steady.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real HAProxy with {@code timeout http-keep-alive 1s} (started by
 * {@code .ci/interop.sh}, in front of nginx), at Steady's default settings:
 * {@link RacingPostBursts#TEN_AROUND_ONE_SECOND}, first contact included. Steady's client and
 * a {@code WebClient.create()} in a Steady application never fail, and nginx behind HAProxy
 * executes every POST exactly once; the same hand-made client with
 * {@code steady.global.enabled=false} does fail, which proves the race is there.
 */
class HaproxyInteropTests {

	private static final String HAPROXY = System.getProperty("steady.interop.haproxy-url", "http://127.0.0.1:18083")
			+ "/";

	private static final RacingPostBursts BURSTS = RacingPostBursts.TEN_AROUND_ONE_SECOND;

	private final ApplicationContextRunner contextRunner = ClientInASteadyApplication.application();

	private final NginxRequestLog nginx = NginxRequestLog.fromSystemProperty();

	@ParameterizedTest
	@EnumSource(ClientInASteadyApplication.class)
	void postBurstsRacingItsKeepAliveTimeoutNeverFailNorRunTwice(ClientInASteadyApplication client) {
		String idPrefix = NginxRequestLog.newIdPrefix("haproxy-" + client);
		this.contextRunner
			.run((context) -> assertThat(BURSTS.send(client.in(context), HAPROXY, idPrefix).byCause())
				.as("failed POSTs by cause")
				.isEmpty());
		NginxRequestLog.Executed executed = this.nginx.awaitExecuted(idPrefix, BURSTS.requests());
		assertThat(executed.mostExecutionsOfOneRequest()).as("executions of one POST").isOne();
	}

	@Test
	void handMadeClientFailsWhenTheGlobalPoolIsLeftAlone() {
		this.contextRunner.withPropertyValues("steady.global.enabled=false")
			.run((context) -> assertThat(
					BURSTS.send(WebClient.create(), HAPROXY, NginxRequestLog.newIdPrefix("haproxy-unprotected")).byCause())
				.as("failed POSTs by cause")
				.isNotEmpty());
	}

}
