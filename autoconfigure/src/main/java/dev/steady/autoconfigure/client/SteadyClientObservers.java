package dev.steady.autoconfigure.client;

import java.net.SocketAddress;
import java.util.List;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Every {@link SteadyClientObserver} of the application as one: each sees every pool and
 * hooks into every HTTP client, in order, so an application's observer adds to Steady's own
 * (health, endpoint, meters, leak detection) instead of replacing it.
 */
final class SteadyClientObservers implements SteadyClientObserver {

	private final List<SteadyClientObserver> observers;

	private SteadyClientObservers(List<SteadyClientObserver> observers) {
		this.observers = List.copyOf(observers);
	}

	/**
	 * Combine observers.
	 * @param observers the observers, in order
	 * @return one observer calling them all, or {@code null} when there are none
	 */
	static @Nullable SteadyClientObserver of(List<SteadyClientObserver> observers) {
		if (observers.isEmpty()) {
			return null;
		}
		return (observers.size() == 1) ? observers.get(0) : new SteadyClientObservers(observers);
	}

	@Override
	public ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client) {
		List<ConnectionProvider.MeterRegistrar> registrars = this.observers.stream()
			.map((observer) -> observer.poolRegistrar(client))
			.toList();
		return new ConnectionProvider.MeterRegistrar() {

			@Override
			public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
					ConnectionPoolMetrics metrics) {
				registrars.forEach((registrar) -> registrar.registerMetrics(poolName, id, remoteAddress, metrics));
			}

			@Override
			public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
				registrars.forEach((registrar) -> registrar.deRegisterMetrics(poolName, id, remoteAddress));
			}

		};
	}

	@Override
	public HttpClient observe(ResolvedClient client, HttpClient httpClient) {
		HttpClient observed = httpClient;
		for (SteadyClientObserver observer : this.observers) {
			observed = observer.observe(client, observed);
		}
		return observed;
	}

}
