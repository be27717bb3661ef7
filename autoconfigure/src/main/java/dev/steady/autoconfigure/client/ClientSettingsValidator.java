package dev.steady.autoconfigure.client;

import dev.steady.client.ClientSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static dev.steady.autoconfigure.PropertyRules.positive;
import static dev.steady.autoconfigure.PropertyRules.probeCount;
import static dev.steady.autoconfigure.PropertyRules.wholeSeconds;

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
		probeCount(prefix + ".tcp-keep-alive.count", tcpKeepAlive.getCount());
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
	}

}
