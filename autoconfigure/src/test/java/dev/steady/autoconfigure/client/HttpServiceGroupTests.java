package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.steady.autoconfigure.actuate.SteadyEndpoint;
import dev.steady.client.SteadyClients;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.PoolHealth;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code WebClient} HTTP service group is a Steady client named after the group: its own
 * pool sized by {@code steady.clients.<group>.*}, its health member, endpoint entry and retry,
 * with Spring Boot's {@code spring.http.serviceclient.<group>.*} winning over Steady's values,
 * against a real server that answers after 300 ms (time limits: one that answers after 5 s).
 */
class HttpServiceGroupTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private static final int CALLS = 30;

	private final MisbehavingServer server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(300)).start();

	/**
	 * For the time limits of 100 ms: its answers come so much later that a limit not applied
	 * shows as a success, and a starved event loop reading the answer before its timer fires
	 * cannot make the limit look ignored.
	 */
	private final MisbehavingServer slowServer = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(5)).start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(AutoConfigurations.of(HttpServiceClientPropertiesAutoConfiguration.class,
				ReactiveHttpServiceClientAutoConfiguration.class))
		.withUserConfiguration(InventoryGroup.class)
		.withPropertyValues("spring.http.serviceclient.inventory.base-url=" + this.server.url());

	@AfterEach
	void stopServer() {
		this.server.close();
		this.slowServer.close();
	}

	@Test
	void groupCallsGoThroughTheGroupsOwnPoolSizedBySteadyClientsGroupProperties() {
		this.contextRunner
			.withPropertyValues("steady.clients.inventory.pool.max-connections=3",
					"management.endpoints.web.exposure.include=health,steady")
			.run((context) -> {
			InventoryApi inventory = context.getBean(InventoryApi.class);
			CompletableFuture<List<String>> calls = callConcurrently(inventory);
			await().atMost(CEILING).until(() -> "3".equals(String.valueOf(inventoryHost(context).get("acquired"))));
			Map<String, Object> host = inventoryHost(context);
			System.out.printf("inventory pool during %d concurrent calls: %s%n", CALLS, host);
			assertThat(host).containsEntry("maxConnections", 3);
			assertThat(calls.get()).hasSize(CALLS).allSatisfy((body) -> assertThat(body).startsWith("ok"));
			assertThat(this.server.executedRequests()).isEqualTo(CALLS);
			assertThat(this.server.maxOpenConnections()).isEqualTo(3);
			assertThat(PoolHealth.hosts(context, "default")).isEmpty();
			SteadyClients clients = context.getBean(SteadyClients.class);
			assertThat(clients.names()).contains("inventory");
			assertThat(clients.connectionProvider("inventory").name()).isEqualTo("steady-inventory");
			assertThat(clients.settings("inventory").settings().pool().maxConnections()).isEqualTo(3);
			assertThat(context.getBean(SteadyEndpoint.class).client("inventory").pool()).isEqualTo("steady-inventory");
			assertThat(context.getBean(RetryRegistry.class).getAllRetries()).extracting(Retry::getName)
				.contains("steady-inventory");
		});
	}

	@Test
	void bootsGroupReadTimeoutIsHonoured() {
		this.contextRunner.withPropertyValues("spring.http.serviceclient.inventory.read-timeout=100ms",
				"spring.http.serviceclient.inventory.base-url=" + this.slowServer.url())
			.run((context) -> {
				List<Throwable> failures = Flux.range(0, CALLS)
					.flatMap((i) -> context.getBean(InventoryApi.class)
						.item()
						.<Throwable>then(Mono.empty())
						.onErrorResume(Mono::just), CALLS)
					.collectList()
					.block(CEILING);
				assertThat(failures).hasSize(CALLS)
					.allSatisfy((failure) -> assertThat(failure).hasRootCauseInstanceOf(ReadTimeoutException.class));
			});
	}

	@Test
	void bootsGroupSettingsWinOverSteadys() {
		this.contextRunner
			.withPropertyValues("steady.clients.inventory.response-timeout=100ms",
					"spring.http.serviceclient.inventory.read-timeout=5s",
					"steady.clients.inventory.base-url=http://127.0.0.1:1")
			.run((context) -> {
				assertThat(context.getBean(InventoryApi.class).item().block(CEILING)).startsWith("ok");
				assertThat(context.getBean(SteadyClients.class)
					.webClient("inventory")
					.get()
					.uri("/item")
					.retrieve()
					.bodyToMono(String.class)
					.block(CEILING)).startsWith("ok");
			});
	}

	@Test
	void steadysGroupSettingsApplyWhereBootSetsNone() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.response-timeout=100ms",
				"spring.http.serviceclient.inventory.base-url=" + this.slowServer.url()).run((context) -> {
			Throwable failure = context.getBean(InventoryApi.class)
				.item()
				.<Throwable>then(Mono.empty())
				.onErrorResume(Mono::just)
				.block(CEILING);
			assertThat(failure).hasRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

	private CompletableFuture<List<String>> callConcurrently(InventoryApi inventory) {
		return Flux.range(0, CALLS).flatMap((i) -> inventory.item(), CALLS).collectList().toFuture();
	}

	private Map<String, Object> inventoryHost(AssertableApplicationContext context) {
		return PoolHealth.host(context, "inventory", this.server.port());
	}

	interface InventoryApi {

		@GetExchange("/item")
		Mono<String> item();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "inventory", types = InventoryApi.class,
			clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class InventoryGroup {

	}

}
