package dev.steady.autoconfigure.client;

import dev.steady.client.ClientSettings;

/**
 * Maps bound, checked {@link ClientProperties} into the immutable {@link ClientSettings}
 * that running code reads. Called once per client at startup.
 */
final class ClientSettingsMapper {

	private ClientSettingsMapper() {
	}

	static ClientSettings map(ClientProperties properties) {
		return new ClientSettings(properties.getConnectTimeout(), properties.getResponseTimeout(),
				properties.isKeepAlive(), pool(properties.getPool()), properties.getTcpKeepAlive().toOptions(),
				ssl(properties.getSsl()), retry(properties.getRetry()));
	}

	static ClientSettings.Pool pool(ClientProperties.Pool pool) {
		return new ClientSettings.Pool(pool.getMaxConnections(), pool.getPendingAcquireMaxCount(),
				pool.getPendingAcquireTimeout(), pool.getMaxIdleTime(), pool.getMaxLifeTime(),
				pool.getEvictionInterval(), pool.getLeasingStrategy(), pool.getLeakDetectionThreshold(),
				pool.isLeakDetectionClose(), pool.isHonorKeepAliveHints(), pool.getKeepAliveHintMargin(),
				pool.getMaxKeepAliveHint(), pool.isLearnIdleTimeout(), pool.getLearnFactor(),
				pool.getMinLearnedIdleTime(), pool.getMaxRequestsPerConnection());
	}

	private static ClientSettings.Ssl ssl(ClientProperties.Ssl ssl) {
		return new ClientSettings.Ssl(ssl.getBundle(), ssl.getHandshakeTimeout());
	}

	private static ClientSettings.Retry retry(ClientProperties.Retry retry) {
		ClientProperties.Backoff backoff = retry.getBackoff();
		ClientProperties.Budget budget = retry.getBudget();
		return new ClientSettings.Retry(retry.isEnabled(), retry.getMaxAttempts(), retry.getMethods(),
				retry.isHonorIdempotencyKey(), retry.getStatuses(), retry.getMaxRetryAfter(),
				new ClientSettings.Backoff(backoff.getInitial(), backoff.getMultiplier(), backoff.getMax()),
				new ClientSettings.Budget(budget.getRatio(), budget.getMinPerSecond(), budget.getTtl()));
	}

}
