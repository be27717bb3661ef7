package dev.steady.sample.bench;

import java.time.Duration;
import java.util.List;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import dev.steady.sample.demo.WithoutSteady;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The clients under test, each built the way its users get it:
 * <ul>
 * <li>Steady: Spring Boot's {@code WebClient.Builder} in an application with Steady's
 * auto-configuration and default settings, once with the retry filter and once with
 * {@code steady.client.retry.enabled=false};</li>
 * <li>Boot's {@code WebClient.Builder} in the same application without Steady;</li>
 * <li>a bare Reactor Netty {@link HttpClient} on a pool as large as Steady's;</li>
 * <li>{@code WebClient.create()} without Steady, on a pool built as Reactor Netty builds its
 * global one (in this JVM the global pool is Steady's);</li>
 * <li>{@code WebClient.create()} in the Steady application, on Steady's global pool.</li>
 * </ul>
 * The Steady application also has a named client, {@value #SHORT_IDLE}, whose idle limit
 * is below the unfriendly upstream's.
 */
final class BenchmarkClients implements AutoCloseable {

	static final String BARE = "bare HttpClient";

	static final String STEADY = "Steady WebClient";

	static final String STEADY_NO_RETRY = "Steady WebClient, retry off";

	static final String BOOT = "Boot WebClient.Builder, no Steady";

	static final String PLAIN = "WebClient.create()";

	static final String HAND_MADE = "WebClient.create(), Steady app";

	/** Column of {@code WebClient.create()} in the Steady application, in the burst scenario. */
	static final String HAND_MADE_COLUMN = "hand-made";

	/** Steady client evicting connections idle for 500 ms. */
	static final String SHORT_IDLE = "short-idle";

	/** Steady's default client, speaking HTTP/1.1, in the protocol comparison. */
	static final String STEADY_HTTP11 = "Steady WebClient, HTTP/1.1";

	/** A Steady client speaking h2c, in the protocol comparison. */
	static final String STEADY_H2C = "Steady WebClient, h2c";

	/** A {@code WebClient} on the bare client, speaking HTTP/1.1, in the protocol comparison. */
	static final String BARE_HTTP11 = "bare WebClient, HTTP/1.1";

	/** A {@code WebClient} on the bare client, speaking h2c, in the protocol comparison. */
	static final String BARE_H2C = "bare WebClient, h2c";

	private static final String H2C_CLIENT = "h2c";

	private final ConfigurableApplicationContext steady;

	private final ConfigurableApplicationContext steadyWithoutRetry;

	private final ConfigurableApplicationContext withoutSteady;

	private final ConnectionProvider barePool;

	private final WithoutSteady withoutSteadyPool = new WithoutSteady();

	BenchmarkClients() {
		this.steady = MinimalApplication.start(WebApplicationType.NONE, true,
				"steady.clients." + SHORT_IDLE + ".pool.max-idle-time=500ms",
				"steady.clients." + H2C_CLIENT + ".protocols=h2c");
		// the global pool stays the first application's
		this.steadyWithoutRetry = MinimalApplication.start(WebApplicationType.NONE, true,
				"steady.client.retry.enabled=false", "steady.global.enabled=false");
		// Reactor Netty's global pool is Steady's in this JVM
		this.withoutSteady = MinimalApplication.startWithoutSteadyOnOwnResources(WebApplicationType.NONE);
		ClientSettings.Pool pool = this.steady.getBean(ResolvedClient.class).settings().pool();
		this.barePool = ConnectionProvider.builder("bare")
			.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.build();
	}

	/**
	 * The clients measured on loopback.
	 * @param url where they send their requests
	 * @return the bare client first, the baseline of every ratio
	 */
	List<LoadTarget> loadTargets(String url) {
		return List.of(LoadTarget.of(BARE, bare(), url), LoadTarget.of(STEADY, steady(), url),
				LoadTarget.of(STEADY_NO_RETRY, builder(this.steadyWithoutRetry).build(), url),
				LoadTarget.of(BOOT, builder(this.withoutSteady).build(), url),
				LoadTarget.of(PLAIN, plain(), url), LoadTarget.of(HAND_MADE, WebClient.create(), url));
	}

	/**
	 * Steady's default client and a Steady client speaking h2c, and a {@code WebClient} on the
	 * bare client speaking each, on one upstream speaking both.
	 * @param url where they send their requests
	 * @return Steady's HTTP/1.1 client first, the baseline
	 */
	List<LoadTarget> protocolTargets(String url) {
		return List.of(LoadTarget.of(STEADY_HTTP11, steady(), url),
				LoadTarget.of(STEADY_H2C, this.steady.getBean(SteadyClients.class).webClient(H2C_CLIENT), url),
				LoadTarget.of(BARE_HTTP11, bareWebClient(), url), LoadTarget.of(BARE_H2C, WebClient.builder()
					.clientConnector(new ReactorClientHttpConnector(bare().protocol(HttpProtocol.H2C)))
					.build(), url));
	}

	/**
	 * Size of the pools of Steady's client and of the bare client.
	 * @return maximum connections per host
	 */
	int poolSize() {
		return this.barePool.maxConnections();
	}

	HttpClient bare() {
		return HttpClient.create(this.barePool);
	}

	/**
	 * The bare client behind a {@code WebClient}, for code that takes one.
	 * @return a {@code WebClient} on the bare client
	 */
	WebClient bareWebClient() {
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(bare())).build();
	}

	/**
	 * {@code WebClient.create()} as it is without Steady: on a pool like Reactor Netty's
	 * global one, which Steady replaced in this JVM.
	 * @return the client
	 */
	WebClient plain() {
		return this.withoutSteadyPool.webClient();
	}

	WebClient steady() {
		return builder(this.steady).build();
	}

	WebClient shortIdle() {
		return this.steady.getBean(SteadyClients.class).webClient(SHORT_IDLE);
	}

	MeterRegistry steadyMeters() {
		return this.steady.getBean(MeterRegistry.class);
	}

	private static WebClient.Builder builder(ConfigurableApplicationContext context) {
		return context.getBean(WebClient.Builder.class);
	}

	@Override
	public void close() {
		this.barePool.disposeLater().block(Duration.ofSeconds(10));
		this.withoutSteadyPool.close();
		this.steady.close();
		this.steadyWithoutRetry.close();
		this.withoutSteady.close();
	}

}
