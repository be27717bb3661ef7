package dev.steady.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.steady.client.SteadyClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 against a real nginx (started by {@code .ci/interop.sh}), issue 23. On its h2c port
 * (prior knowledge, GOAWAY after 100 streams, connections idle for 1 s closed):
 * {@link RacingPostBursts#FIVE_900_MS_APART}. A bare Reactor Netty client loses some of them,
 * and nginx's log shows it never executed one it lost: the fact a safe client relies on.
 * Steady's client loses none, and nginx executes each once. Over TLS, a Steady client that
 * offers h2 and http/1.1 by ALPN speaks HTTP/2 to nginx, and HTTP/1.1 to a port without h2.
 */
@EnabledIfSystemProperty(named = H2cInteropTests.H2C_URL_PROPERTY, matches = ".+")
class H2cInteropTests {

	static final String H2C_URL_PROPERTY = "steady.interop.nginx-h2c-url";

	static final String TLS_CERT_PROPERTY = "steady.interop.nginx-tls-cert";

	private static final String H2C = System.getProperty(H2C_URL_PROPERTY, "http://127.0.0.1:18084") + "/";

	private static final String TLS = System.getProperty("steady.interop.nginx-tls-url", "https://127.0.0.1:18085")
			+ "/";

	private static final String TLS_HTTP11_ONLY = System.getProperty("steady.interop.nginx-tls-http11-url",
			"https://127.0.0.1:18086") + "/";

	private static final RacingPostBursts BURSTS = RacingPostBursts.FIVE_900_MS_APART;

	private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = ClientInASteadyApplication.application();

	private final NginxRequestLog nginx = NginxRequestLog.h2cFromSystemProperty();

	@Test
	void bareReactorNettyH2cClientLosesRequestsNginxNeverSaw() {
		WebClient bare = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create().protocol(HttpProtocol.H2C)))
			.build();
		String idPrefix = NginxRequestLog.newIdPrefix("h2c-bare");
		RacingPostBursts.Failures failures = BURSTS.send(bare, H2C, idPrefix);
		assertNginxExecutedExactlyTheSuccesses("bare Reactor Netty h2c client", idPrefix, failures);
	}

	/**
	 * None is lost: connections idle for most of the idle timeout nginx taught by its GOAWAYs
	 * carry no new stream, and streams nginx never processed (above a GOAWAY's last stream id,
	 * or whose HEADERS never left) would be sent again whatever the method.
	 */
	@Test
	void steadyH2cClientLosesNoneAndNginxExecutesEachOnce() {
		RacingPostBursts.Failures failures = sendThroughSteady("h2c-steady");
		assertThat(failures.ids()).as("POSTs lost").isEmpty();
	}

	/**
	 * On four connections, each carries more than the 100 streams nginx serves on one, so
	 * nginx refuses streams by GOAWAY in every burst: Steady sends them again on another
	 * connection whatever their method, within the retry budget and attempts, and nginx
	 * still executes none twice and none of those that fail.
	 */
	@Test
	void streamsNginxRefusedByGoAwayAreSentAgainAndExecutedOnce() {
		RacingPostBursts.Failures failures = sendThroughSteady("h2c-steady-4", "steady.clients.h2c.http2.max-connections=4");
		assertThat(failures.requests() - failures.ids().size()).as("POSTs answered")
			.isGreaterThan(failures.requests() / 2);
	}

	private RacingPostBursts.Failures sendThroughSteady(String idPrefixBase, String... properties) {
		String idPrefix = NginxRequestLog.newIdPrefix(idPrefixBase);
		AtomicReference<RacingPostBursts.Failures> result = new AtomicReference<>();
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("steady.clients.h2c.protocols=h2c", "steady.clients.h2c.base-url=" + H2C)
			.withPropertyValues(properties)
			.run((context) -> {
				WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
				RacingPostBursts.Failures failures = BURSTS.send(client, H2C, idPrefix);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				System.out.printf("Steady h2c client %s: attempts failed by cause %s, retry decisions %s%n",
						String.join(" ", properties), countsByTag(registry, "steady.client.failures", "cause"),
						countsByTag(registry, "steady.client.retries", "outcome"));
				assertNginxExecutedExactlyTheSuccesses("Steady h2c client", idPrefix, failures);
				result.set(failures);
			});
		return result.get();
	}

	private static Map<String, Double> countsByTag(MeterRegistry registry, String name, String tag) {
		return registry.find(name)
			.counters()
			.stream()
			.collect(Collectors.groupingBy((counter) -> counter.getId().getTag(tag),
					Collectors.summingDouble(Counter::count)));
	}

	@Test
	@EnabledIfSystemProperty(named = TLS_CERT_PROPERTY, matches = ".+")
	void h2OverTlsWithAlpn() {
		tlsClient().run((context) -> assertThat(protocolOfAnswer(context.getBean(SteadyClients.class), TLS))
			.as("protocol nginx spoke on its port offering h2 and http/1.1")
			.isEqualTo("HTTP/2.0"));
	}

	@Test
	@EnabledIfSystemProperty(named = TLS_CERT_PROPERTY, matches = ".+")
	void clientOfferingH2FallsBackToHttp11OverTlsWithoutH2() {
		tlsClient().run((context) -> assertThat(protocolOfAnswer(context.getBean(SteadyClients.class), TLS_HTTP11_ONLY))
			.as("protocol nginx spoke on its port without h2")
			.isEqualTo("HTTP/1.1"));
	}

	/** A Steady client offering h2 and http/1.1, trusting nginx's self-signed certificate. */
	private ApplicationContextRunner tlsClient() {
		return this.contextRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("steady.clients.tls.protocols=h2,http11", "steady.clients.tls.ssl.bundle=nginx",
					"spring.ssl.bundle.pem.nginx.truststore.certificate=file:" + System.getProperty(TLS_CERT_PROPERTY));
	}

	/** nginx names the protocol it spoke in an X-Protocol header ({@code $server_protocol}). */
	private static String protocolOfAnswer(SteadyClients clients, String url) {
		ResponseEntity<Void> response = clients.webClient("tls")
			.get()
			.uri(url)
			.retrieve()
			.toBodilessEntity()
			.block(BLOCK_TIMEOUT);
		assertThat(response).isNotNull();
		return response.getHeaders().getFirst("X-Protocol");
	}

	/**
	 * nginx executed every POST the client saw answered once, and none of those it lost. nginx
	 * logs a request when its stream ends, before it closes the connection that carried it, so
	 * a lost POST nginx executed is in the log once the answered ones are.
	 */
	private void assertNginxExecutedExactlyTheSuccesses(String client, String idPrefix,
			RacingPostBursts.Failures failures) {
		int successes = failures.requests() - failures.ids().size();
		NginxRequestLog.Executed executed = this.nginx.awaitExecuted(idPrefix, successes);
		Map<String, Long> executions = executed.executionsById();
		List<String> lostButExecuted = failures.ids().stream().filter(executions::containsKey).sorted().toList();
		System.out.printf("%s, %d POSTs: %d failed %s; nginx executed %d of the failed, %d requests in all, "
				+ "at most %d times each%n", client, failures.requests(), failures.ids().size(), failures.byType(),
				lostButExecuted.size(), executions.size(), executed.mostExecutionsOfOneRequest());
		assertThat(lostButExecuted).as("failed POSTs nginx executed").isEmpty();
		assertThat(executed.mostExecutionsOfOneRequest()).as("executions of one POST").isOne();
		assertThat(executions.size()).as("POSTs nginx executed, of %d answered", successes).isEqualTo(successes);
	}

}
