package dev.steady.autoconfigure.server;

import dev.steady.server.internal.BodyTimeoutExceptionHandler;
import dev.steady.server.internal.ConnectionLimiter;
import dev.steady.server.internal.ServerConnectionSettings;
import dev.steady.server.internal.SteadyServerCustomizer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Gives the Reactor Netty server of a reactive web application idle, request-header and
 * request-body time limits, a connection cap and TCP keep-alive, from
 * {@code steady.server.*}.
 * <p>
 * Steady's {@link NettyServerCustomizer} is added last to the server factory's list, after
 * Spring Boot's own {@code server.netty.*} settings and the application's
 * {@link NettyServerCustomizer} beans, and fills in only what they left unset, so theirs win.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = NettyReactiveWebServerAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
@ConditionalOnBooleanProperty(name = "steady.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SteadyServerProperties.class)
public final class SteadyServerAutoConfiguration {

	@Bean
	ServerConnectionSettings steadyServerConnectionSettings(SteadyServerProperties properties,
			Environment environment) {
		return new ServerSettingsResolver(environment).resolve(properties, OpenFileLimit.read());
	}

	@Bean
	ConnectionLimiter steadyServerConnectionLimiter(ServerConnectionSettings settings) {
		return new ConnectionLimiter(settings.maxConnections());
	}

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> steadyNettyServerFactoryCustomizer(
			ServerConnectionSettings settings, ConnectionLimiter connectionLimiter) {
		SteadyServerCustomizer steadyCustomizer = new SteadyServerCustomizer(settings, connectionLimiter);
		return (factory) -> factory.addServerCustomizers(steadyCustomizer);
	}

	@Bean
	BodyTimeoutExceptionHandler steadyBodyTimeoutExceptionHandler() {
		return new BodyTimeoutExceptionHandler();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class ConnectionMetricsConfiguration {

		@Bean
		MeterBinder steadyServerConnectionMetrics(ConnectionLimiter connectionLimiter) {
			return (registry) -> FunctionCounter
				.builder("steady.server.connections.refused", connectionLimiter, ConnectionLimiter::refusedConnections)
				.description("Connections the server closed at once because max-connections were open")
				.register(registry);
		}

	}

}
