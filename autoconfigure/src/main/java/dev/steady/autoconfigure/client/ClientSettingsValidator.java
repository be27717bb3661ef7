package dev.steady.autoconfigure.client;

import java.time.Duration;

import dev.steady.client.ClientSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Rejects client settings that Reactor Netty would refuse, or accept and then misbehave
 * with, naming the property, the value and the fix.
 */
final class ClientSettingsValidator {

	private ClientSettingsValidator() {
	}

	static void validate(String prefix, ClientSettings settings) {
		positive(prefix + ".connect-timeout", settings.getConnectTimeout());
		positive(prefix + ".response-timeout", settings.getResponseTimeout());
		positive(prefix + ".ssl.handshake-timeout", settings.getSsl().getHandshakeTimeout());
		ClientSettings.TcpKeepAlive tcpKeepAlive = settings.getTcpKeepAlive();
		wholeSeconds(prefix + ".tcp-keep-alive.idle", tcpKeepAlive.getIdle());
		wholeSeconds(prefix + ".tcp-keep-alive.interval", tcpKeepAlive.getInterval());
		if (tcpKeepAlive.getCount() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".tcp-keep-alive.count",
					tcpKeepAlive.getCount(), "The probe count must be at least 1.");
		}
		validatePool(prefix + ".pool", settings.getPool());
	}

	static void validatePool(String prefix, ClientSettings.Pool pool) {
		if (pool.getMaxConnections() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".max-connections", pool.getMaxConnections(),
					"A pool needs at least 1 connection; set a positive number.");
		}
		if (pool.getPendingAcquireMaxCount() < -1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".pending-acquire-max-count",
					pool.getPendingAcquireMaxCount(), "Use -1 for no limit, or 0 and above.");
		}
		positive(prefix + ".pending-acquire-timeout", pool.getPendingAcquireTimeout());
		positive(prefix + ".max-idle-time", pool.getMaxIdleTime());
		positive(prefix + ".max-life-time", pool.getMaxLifeTime());
		if (pool.getEvictionInterval() != null) {
			positive(prefix + ".eviction-interval", pool.getEvictionInterval());
		}
		Duration leakThreshold = pool.getLeakDetectionThreshold();
		if (leakThreshold != null && leakThreshold.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".leak-detection-threshold", leakThreshold,
					"Use a positive duration, such as 30s, or 0 to disable leak detection.");
		}
	}

	private static void positive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"It must be a positive duration, such as 500ms or 5s.");
		}
	}

	private static void wholeSeconds(String name, Duration value) {
		if (value.toSeconds() < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"TCP keep-alive timing has a resolution of one second; use 1s or more.");
		}
	}

}
