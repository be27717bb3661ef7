package dev.steady.sample.demo;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * {@code WebClient.create()} as it is in an application without Steady: on a pool built as
 * Reactor Netty builds its global one, with no idle limit. In a Steady application
 * {@code WebClient.create()} itself uses Steady's global pool, so comparisons need this
 * stand-in. Close it to dispose its pool.
 */
public final class WithoutSteady implements AutoCloseable {

	private final ConnectionProvider pool = ConnectionProvider.create("without-steady",
			Math.max(ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS, 500));

	/**
	 * A {@code WebClient} on the pool.
	 * @return the client
	 */
	public WebClient webClient() {
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(this.pool))).build();
	}

	@Override
	public void close() {
		this.pool.disposeLater().block(Duration.ofSeconds(10));
	}

}
