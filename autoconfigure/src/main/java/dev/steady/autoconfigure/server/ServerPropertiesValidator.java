package dev.steady.autoconfigure.server;

import java.util.function.UnaryOperator;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static dev.steady.autoconfigure.internal.PropertyRules.positive;
import static dev.steady.autoconfigure.internal.PropertyRules.probeCount;
import static dev.steady.autoconfigure.internal.PropertyRules.wholeSeconds;

/**
 * Rejects {@code steady.server.*} values that Reactor Netty would refuse, or accept and then
 * misbehave with, naming the property, the value and the fix.
 */
final class ServerPropertiesValidator {

	private static final String PREFIX = "steady.server.";

	private static final UnaryOperator<String> NAMES = PREFIX::concat;

	private ServerPropertiesValidator() {
	}

	static void validate(SteadyServerProperties properties) {
		positive(NAMES, "idle-timeout", properties.getIdleTimeout());
		positive(NAMES, "request-header-timeout", properties.getRequestHeaderTimeout());
		positive(NAMES, "read-timeout", properties.getReadTimeout());
		positive(NAMES, "request-timeout", properties.getRequestTimeout());
		if (properties.getMaxKeepAliveRequests() < 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-keep-alive-requests",
					properties.getMaxKeepAliveRequests(), "Use 0 for no limit, or a positive number of requests.");
		}
		Integer maxConnections = properties.getMaxConnections();
		if (maxConnections != null && maxConnections < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-connections", maxConnections,
					"The server needs at least 1 connection; set a positive number, or remove the property "
							+ "to use 80% of the open-file limit.");
		}
		SteadyServerProperties.TcpKeepAlive tcpKeepAlive = properties.getTcpKeepAlive();
		wholeSeconds(NAMES, "tcp-keep-alive.idle", tcpKeepAlive.getIdle());
		wholeSeconds(NAMES, "tcp-keep-alive.interval", tcpKeepAlive.getInterval());
		probeCount(NAMES, "tcp-keep-alive.count", tcpKeepAlive.getCount());
	}

}
