package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import dev.steady.client.SteadyClients;
import dev.steady.client.SteadyConnectionProviderCustomizer;
import dev.steady.client.internal.SteadyClientFilterFactory;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an application that starts without calling a client does not pay for: the pools, the
 * HTTP clients, the default client's filters with their factories, its retry instance and
 * Steady's own retry registry are built on first use, once however many requests
 * come first, and still closed with the context. The customizer counts the Reactor Netty
 * pools built (one per client); the observer counts the HTTP clients built.
 */
class OnFirstUseTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private final MisbehavingServer server = MisbehavingServer.builder().start();

	private final Counting counting = new Counting();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class))
		.withBean(Counting.class, () -> this.counting);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void startingBuildsNoPoolNoHttpClientAndNoRetryInstance() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=" + this.server.url())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.counting.poolsBuilt).isEmpty();
				assertThat(this.counting.httpClientsBuilt).isEmpty();
				assertThat(context.getBean(RetryRegistry.class).getAllRetries()).extracting(Retry::getName)
					.doesNotContain("steady-default");
			});
	}

	@Test
	void startingCreatesNoFilterFactoryUntilAClientNeedsItsFilters() {
		this.contextRunner.run((context) -> {
			ConfigurableListableBeanFactory beans = context.getBeanFactory();
			String[] filterFactories = beans.getBeanNamesForType(SteadyClientFilterFactory.class, true, false);
			assertThat(filterFactories).isNotEmpty().noneMatch(beans::containsSingleton);
			context.getBean(WebClient.Builder.class).build();
			assertThat(filterFactories).allMatch(beans::containsSingleton);
		});
	}

	@Test
	void aNamedClientBuildsItsHttpClientOnItsFirstUse() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=" + this.server.url())
			.run((context) -> {
				SteadyClients clients = context.getBean(SteadyClients.class);
				assertThat(clients.names()).containsExactly("inventory");
				assertThat(this.counting.httpClientsBuilt).doesNotContainKey("inventory");
				assertThat(Burst.fire(clients.webClient("inventory"), HttpMethod.GET, this.server.url(), 3)).isEmpty();
				assertThat(Burst.fire(clients.webClient("inventory"), HttpMethod.GET, this.server.url(), 3)).isEmpty();
				assertThat(this.counting.httpClientsBuilt).containsEntry("inventory", 1);
				assertThat(this.counting.poolsBuilt).containsEntry("inventory", 1);
			});
	}

	@Test
	void retryRegistryIsBuiltAndItsMetersBoundWhenAClientFirstNeedsARetryInstance() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RetryAutoConfiguration.class.getPackageName()))
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(context.getBeanFactory().containsSingleton("steadyRetryRegistry")).isFalse();
				assertThat(meters.find("resilience4j.retry.calls").meters()).isEmpty();
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 3)).isEmpty();
				assertThat(context.getBeanFactory().containsSingleton("steadyRetryRegistry")).isTrue();
				assertThat(meters.get("resilience4j.retry.calls")
					.tags("name", "steady-default", "kind", "successful_without_retry")
					.functionCounter()
					.count()).isEqualTo(3);
			});
	}

	@Test
	void concurrentFirstRequestsBuildTheDefaultClientOnce() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(context.getBean(RetryRegistry.class).getAllRetries()).extracting(Retry::getName)
				.contains("steady-default");
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 50)).isEmpty();
			assertThat(Burst.fire(context.getBean(WebClient.Builder.class).build(), HttpMethod.GET,
					this.server.url(), 10))
				.isEmpty();
			assertThat(this.counting.poolsBuilt).containsExactly(Map.entry("default", 1));
			assertThat(this.counting.httpClientsBuilt).containsEntry("default", 1);
			assertThat(this.server.executedRequests()).isEqualTo(60);
		});
	}

	@Test
	void globalPoolIsBuiltOnTheFirstRequestOfAHandMadeClient() {
		this.contextRunner.run((context) -> {
			assertThat(HttpClient.create().get().uri(this.server.url()).response().block(CEILING).status().code())
				.isEqualTo(200);
			assertThat(this.counting.poolsBuilt).containsExactly(Map.entry("global", 1));
		});
	}

	@Test
	void poolsBuiltOnFirstUseAreDisposedWithTheContext() {
		this.contextRunner.run((context) -> {
			ConnectionProvider pool = context.getBean(SteadyClientAutoConfiguration.DEFAULT_POOL,
					ConnectionProvider.class);
			assertThat(Burst.fire(context.getBean(WebClient.Builder.class).build(), HttpMethod.GET,
					this.server.url(), 5))
				.isEmpty();
			assertThat(this.server.openConnections()).isPositive();
			context.close();
			assertThat(pool.isDisposed()).isTrue();
			await().atMost(CEILING).until(() -> this.server.openConnections() == 0);
		});
	}

	@Test
	void poolsNeverUsedAreDisposedWithoutBeingBuilt() {
		this.contextRunner.run((context) -> {
			ConnectionProvider pool = context.getBean(SteadyClientAutoConfiguration.DEFAULT_POOL,
					ConnectionProvider.class);
			context.close();
			assertThat(pool.isDisposed()).isTrue();
			assertThat(this.counting.poolsBuilt).isEmpty();
		});
	}

	/** Counts the pools and HTTP clients built, by client. */
	static final class Counting implements SteadyConnectionProviderCustomizer, SteadyClientObserver {

		final Map<String, Integer> poolsBuilt = new ConcurrentHashMap<>();

		final Map<String, Integer> httpClientsBuilt = new ConcurrentHashMap<>();

		@Override
		public void customize(String clientName, ConnectionProvider.Builder builder) {
			this.poolsBuilt.merge(clientName, 1, Integer::sum);
		}

		@Override
		public ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client) {
			return (poolName, id, remoteAddress, metrics) -> {
			};
		}

		@Override
		public HttpClient observe(ResolvedClient client, HttpClient httpClient) {
			this.httpClientsBuilt.merge(client.name(), 1, Integer::sum);
			return httpClient;
		}

	}

}
