package dev.steady.autoconfigure.actuate;

import java.util.Map;

import dev.steady.autoconfigure.actuate.SteadyEndpoint.ClientDescriptor;
import dev.steady.autoconfigure.actuate.SteadyEndpoint.Setting;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator());

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SteadyEndpoint.class));
	}

	@Test
	void endpointIsPresentWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health,steady")
			.run((context) -> assertThat(context).hasSingleBean(SteadyEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenExposedButSwitchedOff() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoint.steady.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(SteadyEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutActuator() {
		new ApplicationContextRunner().withConfiguration(SteadyAutoConfigurations.withoutActuator())
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=steady")
			.run((context) -> assertThat(context).doesNotHaveBean(SteadyEndpoint.class));
	}

	@Test
	void effectiveSettingsNameTheirSource() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=steady",
					"steady.client.pool.max-connections=42", "steady.client.response-timeout=9s",
					"steady.clients.inventory.response-timeout=2s", "steady.clients.inventory.base-url=http://inv")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("hosts",
						Map.of("steady.clients.inventory.hosts[api.example.com:443].pool.max-connections", "5"))))
			.run((context) -> {
				SteadyEndpoint endpoint = context.getBean(SteadyEndpoint.class);
				assertThat(endpoint.clients().clients()).containsOnlyKeys("default", "inventory");
				ClientDescriptor inventory = endpoint.client("inventory");
				assertThat(inventory.pool()).isEqualTo("steady-inventory");
				assertThat(inventory.baseUrl()).isEqualTo("http://inv");
				assertThat(inventory.settings().get("response-timeout")).satisfies((setting) -> {
					assertThat(setting.value()).isEqualTo("PT2S");
					assertThat(setting.source()).isEqualTo("steady.clients.inventory.response-timeout");
				});
				assertThat(inventory.settings().get("pool.max-connections")).satisfies((setting) -> {
					assertThat(setting.value()).isEqualTo(42);
					assertThat(setting.source()).isEqualTo("steady.client.pool.max-connections");
				});
				assertThat(inventory.settings().get("connect-timeout").source()).isEqualTo("default");
				assertThat(inventory.settings().get("pool.leasing-strategy").value()).isEqualTo("lifo");
				assertThat(inventory.settings()).containsKeys("pool.leak-detection-threshold",
						"pool.leak-detection-close", "tcp-keep-alive.idle", "ssl.handshake-timeout", "keep-alive");
				assertThat(inventory.settings().get("pool.eviction-interval")).as("half of max-idle-time")
					.isEqualTo(new Setting("PT2S", "default"));
				assertThat(inventory.settings().get("pool.leak-detection-threshold")).as("twice the response timeout")
					.isEqualTo(new Setting("PT4S", "default"));
				assertThat(inventory.settings()).as("every setting shows its value in effect")
					.allSatisfy((name, setting) -> {
						if (!name.equals("ssl.bundle")) {
							assertThat(setting.value()).as(name).isNotNull();
						}
					});
				Map<String, Setting> apiHost = inventory.hostOverrides().get("api.example.com:443");
				assertThat(apiHost.get("eviction-interval").value()).isEqualTo("PT2S");
				assertThat(apiHost.get("max-connections"))
					.satisfies((setting) -> {
						assertThat(setting.value()).isEqualTo(5);
						assertThat(setting.source())
							.isEqualTo("steady.clients.inventory.hosts[api.example.com:443].pool.max-connections");
					});
				assertThat(apiHost.get("max-idle-time").source()).isEqualTo("default");
				assertThat(inventory.pools()).isEmpty();
				assertThat(inventory.learnedStaleAfterIdle()).isEmpty();
				assertThat(inventory.settings().get("retry.max-attempts").source()).isEqualTo("default");
				assertThat(inventory.retry()).containsEntry("instance", "steady-inventory")
					.containsEntry("maxAttempts", 2)
					.containsEntry("failedWithRetry", 0L);
				assertThat(endpoint.client("unknown")).isNull();
				assertThat(endpoint.client("default").settings().get("response-timeout").source())
					.isEqualTo("steady.client.response-timeout");
			});
	}

}
