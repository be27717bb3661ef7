package dev.steady.autoconfigure.retry;

import java.util.List;

import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.client.SteadyClients;
import dev.steady.retry.SafeRetryFilterFactory;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyRetryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	private final MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void everyClientGetsARetryInstanceNamedAfterIt() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=http://localhost").run((context) -> {
			assertThat(context).hasSingleBean(SafeRetryFilterFactory.class).hasSingleBean(RetryRegistry.class);
			context.getBean(WebClient.Builder.class).build();
			RetryRegistry registry = context.getBean(RetryRegistry.class);
			assertThat(registry.getAllRetries()).extracting(Retry::getName)
				.contains("steady-default", "steady-inventory");
			assertThat(registry.retry("steady-default").getRetryConfig().getMaxAttempts()).isEqualTo(2);
		});
	}

	@Test
	void retrySettingsBindWithNamedClientInheritance() {
		this.contextRunner
			.withPropertyValues("steady.client.retry.max-attempts=3", "steady.clients.inventory.base-url=http://a",
					"steady.clients.payments.base-url=http://b", "steady.clients.payments.retry.max-attempts=4",
					"steady.clients.quiet.base-url=http://c", "steady.clients.quiet.retry.enabled=false")
			.run((context) -> {
				SteadyClients clients = context.getBean(SteadyClients.class);
				assertThat(clients.settings("inventory").settings().retry().maxAttempts()).isEqualTo(3);
				RetryRegistry registry = context.getBean(RetryRegistry.class);
				assertThat(registry.retry("steady-inventory").getRetryConfig().getMaxAttempts()).isEqualTo(3);
				assertThat(registry.retry("steady-payments").getRetryConfig().getMaxAttempts()).isEqualTo(4);
				assertThat(registry.getAllRetries()).extracting(Retry::getName).doesNotContain("steady-quiet");
			});
	}

	@Test
	void aGetOnAResetConnectionIsRetriedByDefault() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "on", false)).isEmpty();
			assertThat(this.server.executionsOf("on0")).isEqualTo(2);
		});
	}

	@Test
	void retryCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("steady.client.retry.enabled=false").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "off", false)).hasSize(1);
			assertThat(this.server.executionsOf("off0")).isEqualTo(1);
		});
	}

	@Test
	void resilience4jSpringBootRegistryAndInstanceSettingsAreUsed() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
			.withPropertyValues("resilience4j.retry.instances.steady-default.max-attempts=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(RetryRegistry.class).doesNotHaveBean("steadyRetryRegistry");
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(context.getBean(RetryRegistry.class).retry("steady-default").getRetryConfig().getMaxAttempts())
					.isEqualTo(3);
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "r4j", false)).isEmpty();
				assertThat(this.server.executionsOf("r4j0")).isEqualTo(2);
			});
	}

	@Test
	void withoutResilience4jSpringBootSteadyKeepsItsOwnRegistryAndMetrics() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RetryAutoConfiguration.class.getPackageName()))
			.run((context) -> {
				assertThat(context).hasBean("steadyRetryRegistry").hasSingleBean(TaggedRetryMetrics.class);
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "own", false)).isEmpty();
			});
	}

	@Test
	void withoutResilience4jNothingIsAdded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Retry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SafeRetryFilterFactory.class)
				.hasSingleBean(SteadyClients.class));
	}

	@Test
	void badRetryValuesFailNamingTheProperty() {
		for (List<String> bad : List.of(List.of("steady.client.retry.max-attempts=0", "max-attempts"),
				List.of("steady.client.retry.statuses=503,700", "statuses"),
				List.of("steady.client.retry.budget.ratio=-1", "budget.ratio"),
				List.of("steady.clients.x.retry.backoff.multiplier=0.5", "steady.clients.x.retry.backoff.multiplier"))) {
			this.contextRunner.withPropertyValues(bad.get(0)).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining(bad.get(1));
			});
		}
	}

}
