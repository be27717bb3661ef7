package dev.steady.autoconfigure.server;

import java.time.Duration;

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

	private ServerPropertiesValidator() {
	}

	static void validate(SteadyServerProperties properties) {
		positive(PREFIX + "idle-timeout", properties.getIdleTimeout());
		positive(PREFIX + "request-header-timeout", properties.getRequestHeaderTimeout());
		positive(PREFIX + "read-timeout", properties.getReadTimeout());
		positive(PREFIX + "request-timeout", properties.getRequestTimeout());
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
		wholeSeconds(PREFIX + "tcp-keep-alive.idle", tcpKeepAlive.getIdle());
		wholeSeconds(PREFIX + "tcp-keep-alive.interval", tcpKeepAlive.getInterval());
		probeCount(PREFIX + "tcp-keep-alive.count", tcpKeepAlive.getCount());
		validateHttp2(properties.getHttp2());
	}

	private static void validateHttp2(SteadyServerProperties.Http2 http2) {
		if (http2.getMaxConcurrentStreams() < 1) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "http2.max-concurrent-streams",
					http2.getMaxConcurrentStreams(),
					"A connection needs at least 1 stream; set a positive number, such as 100.");
		}
		if (http2.getMaxResetFrames() < 0) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "http2.max-reset-frames",
					http2.getMaxResetFrames(), "Use 0 for no limit, or a positive number of frames, such as 200.");
		}
		Duration window = http2.getResetFramesWindow();
		wholeSeconds(PREFIX + "http2.reset-frames-window", window);
		if (window.toSeconds() > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "http2.reset-frames-window", window,
					"Netty counts the window in seconds as an int; use at most " + Integer.MAX_VALUE + "s.");
		}
	}

}
