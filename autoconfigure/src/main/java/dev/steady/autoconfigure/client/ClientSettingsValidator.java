package dev.steady.autoconfigure.client;

import java.time.Duration;

import dev.steady.client.ClientSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static dev.steady.autoconfigure.PropertyRules.notNegative;
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
		validateRetry(prefix + ".retry", settings.getRetry());
	}

	private static void validateRetry(String prefix, ClientSettings.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".max-attempts", retry.getMaxAttempts(),
					"Attempts include the first one: use 1 for no retry, 2 for one retry.");
		}
		for (Integer status : retry.getStatuses()) {
			if (status < 100 || status > 599) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".statuses", status,
						"Use HTTP status codes from 100 to 599, such as 502, 503, 504 or 429.");
			}
		}
		notNegative(prefix + ".max-retry-after", retry.getMaxRetryAfter());
		notNegative(prefix + ".backoff.initial", retry.getBackoff().getInitial());
		notNegative(prefix + ".backoff.max", retry.getBackoff().getMax());
		if (retry.getBackoff().getMultiplier() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".backoff.multiplier",
					retry.getBackoff().getMultiplier(), "The multiplier must be 1 or more.");
		}
		ClientSettings.Budget budget = retry.getBudget();
		if (budget.getRatio() < 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".budget.ratio", budget.getRatio(),
					"Use a share of requests from 0 (reserve only) upwards, such as 0.2.");
		}
		if (budget.getMinPerSecond() < 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".budget.min-per-second",
					budget.getMinPerSecond(), "Use 0 or more retries per second.");
		}
		wholeSeconds(prefix + ".budget.ttl", budget.getTtl());
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
		notNegative(prefix + ".keep-alive-hint-margin", pool.getKeepAliveHintMargin());
		positive(prefix + ".max-keep-alive-hint", pool.getMaxKeepAliveHint());
		positive(prefix + ".min-learned-idle-time", pool.getMinLearnedIdleTime());
		if (pool.getLearnFactor() <= 0 || pool.getLearnFactor() > 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".learn-factor", pool.getLearnFactor(),
					"Use a share above 0 and at most 1, such as 0.8.");
		}
		if (pool.getMaxRequestsPerConnection() < 0) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".max-requests-per-connection",
					pool.getMaxRequestsPerConnection(), "Use 0 for no limit, or a positive number.");
		}
		notNegative(prefix + ".unproven-reuse-max-idle", pool.getUnprovenReuseMaxIdle());
		Duration leakThreshold = pool.getLeakDetectionThreshold();
		if (leakThreshold != null && leakThreshold.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".leak-detection-threshold", leakThreshold,
					"Use a positive duration, such as 30s, or 0 to disable leak detection.");
		}
	}

}
