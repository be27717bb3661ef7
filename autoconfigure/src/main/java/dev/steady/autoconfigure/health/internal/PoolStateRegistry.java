package dev.steady.autoconfigure.health.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Live state of every Steady client's pools, fed by the {@link ConnectionProvider.MeterRegistrar}
 * each client's pool is built with (the only place Reactor Netty shows per-host pool state)
 * and by hooks on each client's HTTP client. Health, the {@code steady} endpoint and the
 * meters read it.
 */
public final class PoolStateRegistry implements SteadyClientObserver {

	private final int maxHostsPerClient;

	private final PoolEventListener listener;

	private final Map<String, ClientPoolState> clients = new ConcurrentHashMap<>();

	/**
	 * Create a registry.
	 * @param maxHostsPerClient most per-host pools followed for each client
	 * @param listener told about pools and leases, for example to keep meters
	 */
	public PoolStateRegistry(int maxHostsPerClient, PoolEventListener listener) {
		this.maxHostsPerClient = maxHostsPerClient;
		this.listener = listener;
	}

	@Override
	public ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client) {
		return state(client);
	}

	@Override
	public HttpClient observe(ResolvedClient client, HttpClient httpClient) {
		return state(client).instrument(httpClient);
	}

	/**
	 * Every client whose pool was built so far.
	 * @return the clients' pool states, by name
	 */
	public List<ClientPoolState> clients() {
		return this.clients.values()
			.stream()
			.sorted(Comparator.comparing((state) -> state.client().name()))
			.toList();
	}

	/**
	 * The pool state of one client.
	 * @param name the client's name
	 * @return its pool state, or {@code null} when no client of that name was built
	 */
	public @Nullable ClientPoolState client(String name) {
		return this.clients.get(name);
	}

	private ClientPoolState state(ResolvedClient client) {
		return this.clients.computeIfAbsent(client.name(),
				(name) -> new ClientPoolState(client, this.maxHostsPerClient, this.listener));
	}

}
