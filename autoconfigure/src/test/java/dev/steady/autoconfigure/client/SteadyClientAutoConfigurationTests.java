package dev.steady.autoconfigure.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import dev.steady.client.SteadyConnectionProviderCustomizer;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;
import dev.steady.testserver.BuiltHttpClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.steady.autoconfigure.StartupFailures.assertFailsNaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SteadyClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				SteadyClientAutoConfiguration.class));

	@Test
	void defaultPoolIsBuiltFromDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionProvider.class).hasSingleBean(SteadyClients.class);
			ConnectionProvider provider = context.getBean(ConnectionProvider.class);
			assertThat(provider.name()).isEqualTo("steady-default");
			assertThat(provider.maxConnections()).isEqualTo(500);
			ClientSettings.Pool pool = context.getBean(ResolvedClient.class).settings().pool();
			assertThat(pool.pendingAcquireMaxCount()).isEqualTo(1000);
			assertThat(pool.maxIdleTime()).isEqualTo(Duration.ofSeconds(4));
			assertThat(pool.effectiveEvictionInterval()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void propertiesReachTheBuiltPoolAndHttpClient() {
		this.contextRunner
			.withPropertyValues("steady.client-defaults.pool.max-connections=42",
					"steady.client-defaults.connect-timeout=1500ms", "steady.client-defaults.response-timeout=7s",
					"steady.client-defaults.ssl.handshake-timeout=3s")
			.withInitializer(property("steady.client-defaults.hosts[slow.example.com:8443].pool.max-connections", "3"))
			.run((context) -> {
				ConnectionProvider provider = context.getBean(ConnectionProvider.class);
				assertThat(provider.maxConnections()).isEqualTo(42);
				assertThat(provider.maxConnectionsPerHost())
					.containsEntry(InetSocketAddress.createUnresolved("slow.example.com", 8443), 3);
				HttpClientConfig config = BuiltHttpClient.of(context.getBean(WebClient.Builder.class)).configuration();
				assertThat(config.options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(1500);
				// a handler per connection (ResponseTimeoutTests), not Reactor Netty's per-request timeout
				assertThat(config.responseTimeout()).isNull();
				assertThat(String.valueOf(config.sslProvider())).contains("handshakeTimeoutMillis=3000");
				assertThat(config.connectionProvider()).isSameAs(provider);
			});
	}

	@Test
	void keepAliveFalseReachesTheHttpClient() {
		this.contextRunner.withPropertyValues("steady.client-defaults.keep-alive=false").run((context) -> {
			HttpClient client = BuiltHttpClient.of(context.getBean(WebClient.Builder.class));
			assertThat(client.configuration().headers().get("Connection")).isEqualTo("close");
		});
	}

	@Test
	void namedClientsInheritDefaultsAndOverrideTheirOwn() {
		this.contextRunner
			.withPropertyValues("steady.client-defaults.pool.max-connections=20",
					"steady.client-defaults.response-timeout=9s",
					"steady.clients.inventory.response-timeout=2s", "steady.clients.billing.pool.max-connections=7")
			.withInitializer(property("steady.client-defaults.hosts[api.example.com:443].pool.max-idle-time", "1s"))
			.withInitializer(property("steady.clients.inventory.base-url", "http://inventory.internal:8080"))
			.withInitializer(property("steady.clients.inventory.hosts[api.example.com:443].pool.max-connections", "5"))
			.run((context) -> {
				SteadyClients clients = context.getBean(SteadyClients.class);
				assertThat(clients.names()).containsExactly("inventory", "billing");
				ResolvedClient inventory = clients.settings("inventory");
				assertThat(inventory.baseUrl()).isEqualTo("http://inventory.internal:8080");
				assertThat(inventory.propertyPrefix()).isEqualTo("steady.clients.inventory");
				assertThat(inventory.settings().responseTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(inventory.settings().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(inventory.settings().pool().maxConnections()).isEqualTo(20);
				ClientSettings.Pool apiPool = inventory.hostPools()
					.get(InetSocketAddress.createUnresolved("api.example.com", 443));
				assertThat(apiPool.maxConnections()).isEqualTo(5);
				assertThat(apiPool.maxIdleTime()).isEqualTo(Duration.ofSeconds(1));
				assertThat(apiPool.pendingAcquireMaxCount()).isEqualTo(1000);
				assertThat(clients.connectionProvider("inventory").name()).isEqualTo("steady-inventory");
				assertThat(clients.connectionProvider("inventory").maxConnectionsPerHost())
					.containsEntry(InetSocketAddress.createUnresolved("api.example.com", 443), 5);
				ResolvedClient billing = clients.settings("billing");
				assertThat(billing.settings().responseTimeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(clients.connectionProvider("billing").maxConnections()).isEqualTo(7);
				assertThat(context.getBean(ConnectionProvider.class).maxConnections()).isEqualTo(20);
			});
	}

	@Test
	void leakDetectionDefaultsToTwiceTheResponseTimeoutAndIsInherited() {
		this.contextRunner
			.withPropertyValues("steady.client-defaults.response-timeout=7s", "steady.client-defaults.pool.leak-detection-close=true",
					"steady.clients.inventory.pool.leak-detection-threshold=0")
			.withInitializer(property("steady.client-defaults.hosts[api.example.com:443].pool.leak-detection-threshold", "90s"))
			.run((context) -> {
				ResolvedClient client = context.getBean(ResolvedClient.class);
				ClientSettings settings = client.settings();
				assertThat(settings.pool().leakDetectionThreshold()).isNull();
				assertThat(settings.effectiveLeakDetectionThreshold(settings.pool()))
					.isEqualTo(Duration.ofSeconds(14));
				assertThat(settings.effectiveLeakDetectionThreshold(client.pool("api.example.com", 443)))
					.isEqualTo(Duration.ofSeconds(90));
				ResolvedClient inventory = context.getBean(SteadyClients.class).settings("inventory");
				assertThat(inventory.settings().pool().leakDetectionClose()).isTrue();
				assertThat(inventory.settings().effectiveLeakDetectionThreshold(inventory.settings().pool()))
					.isZero();
				assertThat(inventory.pool("api.example.com", 443).leakDetectionThreshold())
					.isEqualTo(Duration.ofSeconds(90));
			});
	}

	@Test
	void settingsHandedOutCannotChangeARunningClient() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.retry.statuses=503").run((context) -> {
			ClientSettings.Retry retry = context.getBean(SteadyClients.class).settings("inventory").settings().retry();
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> retry.methods().clear());
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> retry.statuses().add(502));
			assertThat(context.getBean(SteadyClients.class).settings("inventory").settings().retry().statuses())
				.containsExactly(503);
		});
	}

	@Test
	void deprecatedKeysStillApplyBelowTheNewOnesAndFailUnderTheirOwnName() {
		this.contextRunner
			.withPropertyValues("steady.client.pool.max-connections=30", "steady.client.response-timeout=8s",
					"steady.client-defaults.response-timeout=6s", "steady.clients.inventory.connect-timeout=1s")
			.run((context) -> {
				ResolvedClient inventory = context.getBean(SteadyClients.class).settings("inventory");
				assertThat(inventory.settings().pool().maxConnections()).isEqualTo(30);
				assertThat(inventory.settings().responseTimeout()).isEqualTo(Duration.ofSeconds(6));
				assertThat(context.getBean(ConnectionProvider.class).maxConnections()).isEqualTo(30);
				SteadyClientProperties bound = context.getBean(SteadyClientProperties.class);
				assertThat(bound.getClientDefaults().getPool().getMaxConnections()).isEqualTo(30);
				assertThat(bound.getClients().get("inventory").getResponseTimeout()).isEqualTo(Duration.ofSeconds(6));
			});
		assertFailsNaming(this.contextRunner, "steady.client.pool.max-idle-time=0s",
				"steady.client.pool.max-idle-time", "PT0S");
	}

	@Test
	@SuppressWarnings("unchecked")
	void configpropsShowsTheValuesInEffectOfEveryNamedClient() {
		this.contextRunner
			.withPropertyValues("steady.client-defaults.response-timeout=6s",
					"steady.client-defaults.pool.max-connections=30", "steady.clients.inventory.connect-timeout=1s")
			.run((context) -> {
				ConfigurationPropertiesReportEndpoint configprops = new ConfigurationPropertiesReportEndpoint(List.of(),
						Show.ALWAYS);
				configprops.setApplicationContext(context);
				Map<String, Object> steady = configprops.configurationPropertiesWithPrefix("steady")
					.getContexts()
					.values()
					.iterator()
					.next()
					.getBeans()
					.values()
					.iterator()
					.next()
					.getProperties();
				Map<String, Object> inventory = (Map<String, Object>) ((Map<String, Object>) steady.get("clients"))
					.get("inventory");
				assertThat(inventory).containsEntry("responseTimeout", "PT6S").containsEntry("connectTimeout", "PT1S");
				assertThat((Map<String, Object>) inventory.get("pool")).containsEntry("maxConnections", 30);
			});
	}

	@Test
	void namedClientBuilderHasTheBaseUrlAndItsOwnPool() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=http://inventory.internal:8080")
			.run((context) -> {
				AtomicReference<URI> sent = new AtomicReference<>();
				WebClient client = context.getBean(SteadyClients.class).builder("inventory").filter((request, next) -> {
					sent.set(request.url());
					return Mono.just(ClientResponse.create(HttpStatus.NO_CONTENT).build());
				}).build();
				client.get().uri("/items?sku=7").retrieve().toBodilessEntity().block(Duration.ofSeconds(5));
				assertThat(sent.get()).hasToString("http://inventory.internal:8080/items?sku=7");
				assertThat(context.getBean(SteadyClients.class).connectionProvider("inventory"))
					.isNotSameAs(context.getBean(ConnectionProvider.class));
			});
	}

	@Test
	void unknownClientNameListsTheConfiguredOnes() {
		this.contextRunner
			.withPropertyValues("steady.clients.inventory.base-url=http://a", "steady.clients.billing.base-url=http://b")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(SteadyClients.class).webClient("invetory"))
				.withMessageContaining("'invetory'")
				.withMessageContaining("inventory, billing"));
	}

	@Test
	void connectionProviderBeanOfSomeLibraryLeavesTheDefaultPoolAlone() {
		this.contextRunner.withUserConfiguration(LibraryConnectionProvider.class).run((context) -> {
			assertThat(context.getBeansOfType(ConnectionProvider.class)).hasSize(2);
			assertThat(context.getBean(SteadyClientAutoConfiguration.DEFAULT_POOL, ConnectionProvider.class).name())
				.isEqualTo("steady-default");
			assertThat(defaultClientPool(context)).isEqualTo("steady-default");
		});
	}

	@Test
	void connectionProviderNamedLikeSteadysDefaultPoolReplacesIt() {
		this.contextRunner.withUserConfiguration(TargetedConnectionProvider.class).run((context) -> {
			assertThat(context).hasSingleBean(ConnectionProvider.class);
			assertThat(defaultClientPool(context)).isEqualTo("mine");
		});
	}

	@Test
	void connectionProviderCustomizersHaveTheLastWord() {
		this.contextRunner.withUserConfiguration(PoolCustomizer.class)
			.withPropertyValues("steady.client-defaults.pool.max-connections=42", "steady.clients.other.base-url=http://x")
			.run((context) -> {
				assertThat(context.getBean(ConnectionProvider.class).maxConnections()).isEqualTo(7);
				assertThat(context.getBean(SteadyClients.class).connectionProvider("other").maxConnections())
					.isEqualTo(8);
			});
	}

	@Test
	void backsOffWithoutReactorNetty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SteadyClients.class)
				.doesNotHaveBean(ConnectionProvider.class));
	}

	@Test
	void nonPositiveMaxConnectionsFailsNamingTheProperty() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.pool.max-connections=0",
				"steady.client-defaults.pool.max-connections", "0");
	}

	@Test
	void negativeDurationFailsNamingTheProperty() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.pool.max-idle-time=-1s",
				"steady.client-defaults.pool.max-idle-time", "PT-1S");
	}

	@Test
	void zeroForgetLearnedAfterFailsNamingTheProperty() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.pool.forget-learned-after=0s",
				"steady.client-defaults.pool.forget-learned-after", "PT0S");
	}

	@Test
	void badNamedClientValueFailsNamingItsProperty() {
		assertFailsNaming(this.contextRunner, "steady.clients.inventory.response-timeout=0s",
				"steady.clients.inventory.response-timeout", "PT0S");
	}

	@Test
	void unparsableHostKeyFailsNamingTheProperty() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.hosts[api.example.com].pool.max-connections=3",
				"steady.client-defaults.hosts", "api.example.com");
	}

	@Test
	void hostPortOutOfRangeFails() {
		this.contextRunner
			.withInitializer(property("steady.client-defaults.hosts[api.example.com:70000].pool.max-connections", "3"))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property steady.client-defaults.hosts ")
				.hasMessageContaining("'api.example.com:70000'"));
	}

	@Test
	void pendingAcquireMaxCountBelowMinusOneFails() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.pool.pending-acquire-max-count=-2",
				"steady.client-defaults.pool.pending-acquire-max-count", "-2");
	}

	@Test
	void namedClientCalledDefaultFails() {
		assertFailsNaming(this.contextRunner, "steady.clients.default.base-url=http://x",
				"steady.clients.default", "default");
	}

	@Test
	void unknownSslBundleFailsNamingTheProperty() {
		assertFailsNaming(this.contextRunner, "steady.client-defaults.ssl.bundle=missing",
				"steady.client-defaults.ssl.bundle", "missing");
	}

	@Test
	void unknownSslBundleOfANamedClientFailsTheStartThoughItsConnectorWaitsForFirstUse() {
		assertFailsNaming(this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=http://127.0.0.1:1"),
				"steady.clients.inventory.ssl.bundle=missing", "steady.clients.inventory.ssl.bundle", "missing");
	}

	/** A property whose key holds a colon, which withPropertyValues would take for a separator. */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> property(String name, String value) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(name, Map.of(name, value)));
	}

	/** The pool of the connector behind Boot's WebClient.Builder, as Boot builds it. */
	private static String defaultClientPool(AssertableApplicationContext context) {
		ReactorClientHttpConnector connector = (ReactorClientHttpConnector) context.getBean(ClientHttpConnector.class);
		HttpClient httpClient = (HttpClient) ReflectionTestUtils.getField(connector, "httpClient");
		return httpClient.configuration().connectionProvider().name();
	}

	@Configuration(proxyBeanMethods = false)
	static class LibraryConnectionProvider {

		@Bean(destroyMethod = "dispose")
		ConnectionProvider someLibrarysConnectionProvider() {
			return ConnectionProvider.create("library", 3);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TargetedConnectionProvider {

		@Bean(name = SteadyClientAutoConfiguration.DEFAULT_POOL, destroyMethod = "dispose")
		ConnectionProvider myConnectionProvider() {
			return ConnectionProvider.create("mine", 3);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PoolCustomizer {

		@Bean
		SteadyConnectionProviderCustomizer poolCustomizer() {
			return (name, builder) -> builder.maxConnections(name.equals("default") ? 7 : 8);
		}

	}

}
