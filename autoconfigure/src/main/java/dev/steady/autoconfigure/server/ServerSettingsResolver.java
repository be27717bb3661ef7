package dev.steady.autoconfigure.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import dev.steady.server.internal.Http2Limits;
import dev.steady.server.internal.ServerConnectionSettings;
import dev.steady.tcp.TcpKeepAliveOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Works out the server's effective settings: a value the user set under Spring Boot's
 * {@code server.netty.*} wins over its {@code steady.server.*} twin, whatever its value.
 * "Set" means present in the environment, never "different from the default". Logs one
 * line naming every effective value and where it came from; whether a {@code steady.server.*}
 * key was set is looked up in the property sources only for that line, and only when it is
 * logged, since the bound properties already hold the values.
 */
final class ServerSettingsResolver {

	private static final Log logger = LogFactory.getLog(ServerSettingsResolver.class);

	private static final String STEADY = "steady.server.";

	private static final String BOOT = "server.netty.";

	private final Binder binder;

	private final Iterable<ConfigurationPropertySource> propertySources;

	private final @Nullable List<String> sources = logger.isInfoEnabled() ? new ArrayList<>() : null;

	ServerSettingsResolver(Environment environment) {
		this.propertySources = ConfigurationPropertySources.get(environment);
		this.binder = Binder.get(environment);
	}

	ServerConnectionSettings resolve(SteadyServerProperties properties, OptionalLong openFileLimit) {
		ServerPropertiesValidator.validate(properties);
		Duration idleTimeout = bootOrSteady("idle-timeout", Duration.class, properties.getIdleTimeout());
		Duration requestHeaderTimeout = steady("request-header-timeout", properties.getRequestHeaderTimeout());
		Duration readTimeout = steady("read-timeout", properties.getReadTimeout());
		Duration requestTimeout = steady("request-timeout", properties.getRequestTimeout());
		int maxKeepAliveRequests = bootOrSteady("max-keep-alive-requests", Integer.class,
				properties.getMaxKeepAliveRequests());
		int maxConnections = maxConnections(properties.getMaxConnections(), openFileLimit);
		boolean advertiseKeepAlive = steady("advertise-keep-alive", properties.isAdvertiseKeepAlive());
		SteadyServerProperties.TcpKeepAlive tcp = properties.getTcpKeepAlive();
		TcpKeepAliveOptions tcpKeepAlive = new TcpKeepAliveOptions(steady("tcp-keep-alive.enabled", tcp.isEnabled()),
				steady("tcp-keep-alive.idle", tcp.getIdle()), steady("tcp-keep-alive.interval", tcp.getInterval()),
				steady("tcp-keep-alive.count", tcp.getCount()));
		SteadyServerProperties.Http2 http2 = properties.getHttp2();
		Http2Limits http2Limits = new Http2Limits(
				steady("http2.max-concurrent-streams", http2.getMaxConcurrentStreams()),
				steady("http2.max-reset-frames", http2.getMaxResetFrames()),
				steady("http2.reset-frames-window", http2.getResetFramesWindow()));
		if (this.sources != null) {
			logger.info("Steady server connection settings: " + String.join(", ", this.sources));
		}
		return new ServerConnectionSettings(idleTimeout, requestHeaderTimeout, readTimeout, requestTimeout,
				Math.max(0, maxKeepAliveRequests), maxConnections, advertiseKeepAlive, tcpKeepAlive, http2Limits);
	}

	private <T> T bootOrSteady(String key, Class<T> type, T steadyValue) {
		BindResult<T> boot = this.binder.bind(BOOT + key, Bindable.of(type));
		if (boot.isBound()) {
			return record(key, boot.get(), BOOT + key);
		}
		return steady(key, steadyValue);
	}

	private <T> T steady(String key, T value) {
		return (this.sources != null) ? record(key, value, isSet(STEADY + key) ? STEADY + key : "default") : value;
	}

	private int maxConnections(@Nullable Integer configured, OptionalLong openFileLimit) {
		if (configured != null) {
			return record("max-connections", configured, STEADY + "max-connections");
		}
		int maxConnections = OpenFileLimit.maxConnections(openFileLimit);
		if (this.sources == null) {
			return maxConnections;
		}
		String source = openFileLimit.isPresent() ? "default: 80% of open-file limit " + openFileLimit.getAsLong()
				: "default: open-file limit unknown";
		return record("max-connections", maxConnections, source);
	}

	private boolean isSet(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.of(name);
		for (ConfigurationPropertySource source : this.propertySources) {
			if (source.getConfigurationProperty(propertyName) != null) {
				return true;
			}
		}
		return false;
	}

	private <T> T record(String key, T value, String source) {
		if (this.sources != null) {
			this.sources.add(key + "=" + describe(key, value) + " (" + source + ")");
		}
		return value;
	}

	private static String describe(String key, Object value) {
		if (value instanceof Duration duration) {
			return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
		}
		if (key.equals("max-keep-alive-requests") && (Integer) value <= 0) {
			return "unlimited";
		}
		return String.valueOf(value);
	}

}
