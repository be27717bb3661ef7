package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.steady.client.ClientSettings.Protocol;


import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static dev.steady.autoconfigure.internal.PropertyRules.notNegative;
import static dev.steady.autoconfigure.internal.PropertyRules.positive;
import static dev.steady.autoconfigure.internal.PropertyRules.probeCount;
import static dev.steady.autoconfigure.internal.PropertyRules.wholeSeconds;

/**
 * Rejects client settings that Reactor Netty would refuse, or accept and then misbehave
 * with, naming the property, the value and the fix. Property names are given relative to
 * the group checked ({@code max-connections} for a pool) and turned into the key that set
 * the value.
 */
final class ClientSettingsValidator {

	private ClientSettingsValidator() {
	}

	static void validate(UnaryOperator<String> property, ClientProperties settings) {
		positive(property, "connect-timeout", settings.getConnectTimeout());
		positive(property, "response-timeout", settings.getResponseTimeout());
		positive(property, "ssl.handshake-timeout", settings.getSsl().getHandshakeTimeout());
		ClientProperties.TcpKeepAlive tcpKeepAlive = settings.getTcpKeepAlive();
		wholeSeconds(property, "tcp-keep-alive.idle", tcpKeepAlive.getIdle());
		wholeSeconds(property, "tcp-keep-alive.interval", tcpKeepAlive.getInterval());
		probeCount(property, "tcp-keep-alive.count", tcpKeepAlive.getCount());
		validateProtocols(property, settings.getProtocols());
		validatePool((name) -> property.apply("pool." + name), settings.getPool());
		validateHttp2((name) -> property.apply("http2." + name), settings.getHttp2());
		validateRetry((name) -> property.apply("retry." + name), settings.getRetry());
	}

	private static void validateRetry(UnaryOperator<String> property, ClientProperties.Retry retry) {
		if (retry.getMaxAttempts() < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("max-attempts"), retry.getMaxAttempts(),
					"Attempts include the first one: use 1 for no retry, 2 for one retry.");
		}
		for (Integer status : retry.getStatuses()) {
			if (status < 100 || status > 599) {
				throw new InvalidConfigurationPropertyValueException(property.apply("statuses"), status,
						"Use HTTP status codes from 100 to 599, such as 502, 503, 504 or 429.");
			}
		}
		notNegative(property, "max-retry-after", retry.getMaxRetryAfter());
		notNegative(property, "backoff.initial", retry.getBackoff().getInitial());
		notNegative(property, "backoff.max", retry.getBackoff().getMax());
		if (retry.getBackoff().getMultiplier() < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("backoff.multiplier"),
					retry.getBackoff().getMultiplier(), "The multiplier must be 1 or more.");
		}
		ClientProperties.Budget budget = retry.getBudget();
		if (budget.getRatio() < 0) {
			throw new InvalidConfigurationPropertyValueException(property.apply("budget.ratio"), budget.getRatio(),
					"Use a share of requests from 0 (reserve only) upwards, such as 0.2.");
		}
		if (budget.getMinPerSecond() < 0) {
			throw new InvalidConfigurationPropertyValueException(property.apply("budget.min-per-second"),
					budget.getMinPerSecond(), "Use 0 or more retries per second.");
		}
		wholeSeconds(property, "budget.ttl", budget.getTtl());
	}

	private static void validateProtocols(UnaryOperator<String> property, List<Protocol> protocols) {
		if (protocols.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(property.apply("protocols"), "",
					"A client needs at least one protocol: use http11, h2, h2c or a list of them.");
		}
	}

	private static void validateHttp2(UnaryOperator<String> property, ClientProperties.Http2 http2) {
		Integer maxConnections = http2.getMaxConnections();
		if (maxConnections != null && maxConnections < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("max-connections"), maxConnections,
					"An HTTP/2 pool needs at least 1 connection; set a positive number, or leave it unset for the "
							+ "pool's max-connections.");
		}
		Long maxStreams = http2.getMaxConcurrentStreams();
		if (maxStreams != null && maxStreams < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("max-concurrent-streams"), maxStreams,
					"Use a positive number of streams, or leave it unset for as many as the peer allows.");
		}
		if (http2.getMinConnections() < 0
				|| (maxConnections != null && http2.getMinConnections() > maxConnections)) {
			throw new InvalidConfigurationPropertyValueException(property.apply("min-connections"),
					http2.getMinConnections(), "Use 0 or more, and no more than http2.max-connections.");
		}
		positive(property, "ping-interval", http2.getPingInterval());
		positive(property, "ping-ack-timeout", http2.getPingAckTimeout());
		if (http2.getPingAckDropThreshold() < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("ping-ack-drop-threshold"),
					http2.getPingAckDropThreshold(), "Use 1 or more PINGs dropped in a row.");
		}
	}

	static void validatePool(UnaryOperator<String> property, ClientProperties.Pool pool) {
		if (pool.getMaxConnections() < 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("max-connections"), pool.getMaxConnections(),
					"A pool needs at least 1 connection; set a positive number.");
		}
		if (pool.getPendingAcquireMaxCount() < -1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("pending-acquire-max-count"),
					pool.getPendingAcquireMaxCount(), "Use -1 for no limit, or 0 and above.");
		}
		positive(property, "pending-acquire-timeout", pool.getPendingAcquireTimeout());
		positive(property, "max-idle-time", pool.getMaxIdleTime());
		positive(property, "max-life-time", pool.getMaxLifeTime());
		if (pool.getEvictionInterval() != null) {
			positive(property, "eviction-interval", pool.getEvictionInterval());
		}
		notNegative(property, "keep-alive-hint-margin", pool.getKeepAliveHintMargin());
		positive(property, "max-keep-alive-hint", pool.getMaxKeepAliveHint());
		positive(property, "min-learned-idle-time", pool.getMinLearnedIdleTime());
		positive(property, "forget-learned-after", pool.getForgetLearnedAfter());
		if (pool.getLearnFactor() <= 0 || pool.getLearnFactor() > 1) {
			throw new InvalidConfigurationPropertyValueException(property.apply("learn-factor"), pool.getLearnFactor(),
					"Use a share above 0 and at most 1, such as 0.8.");
		}
		if (pool.getMaxRequestsPerConnection() < 0) {
			throw new InvalidConfigurationPropertyValueException(property.apply("max-requests-per-connection"),
					pool.getMaxRequestsPerConnection(), "Use 0 for no limit, or a positive number.");
		}
		notNegative(property, "unproven-reuse-max-idle", pool.getUnprovenReuseMaxIdle());
		Duration leakThreshold = pool.getLeakDetectionThreshold();
		if (leakThreshold != null && leakThreshold.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property.apply("leak-detection-threshold"), leakThreshold,
					"Use a positive duration, such as 30s, or 0 to disable leak detection.");
		}
	}

}
