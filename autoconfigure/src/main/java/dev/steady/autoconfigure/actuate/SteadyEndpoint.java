package dev.steady.autoconfigure.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.ResolvedClient;
import dev.steady.autoconfigure.health.internal.ClientPoolState;
import dev.steady.autoconfigure.health.internal.PoolSnapshot;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.core.env.Environment;

/**
 * The {@code steady} actuator endpoint ({@code /actuator/steady}, read-only): for every
 * client, the effective settings after defaults, named-client inheritance and per-host
 * overrides with the property each value came from, the live state of its pool for each
 * remote host it has served recently, the idle timeouts learned of its upstreams, and its
 * retry when retry is on. {@code /actuator/steady/<client>} shows one.
 *
 * @since 0.1.0
 */
@Endpoint(id = "steady", defaultAccess = Access.READ_ONLY)
public class SteadyEndpoint {

	private final PoolStateRegistry registry;

	private final SettingSources sources;

	private final LearnedIdleTimeouts learned;

	private final @Nullable RetryReport retry;

	/**
	 * Create the endpoint.
	 * @param registry the clients and their pools
	 * @param environment where the clients' properties come from
	 * @param learned the idle timeouts learned of each client's upstreams
	 * @param retry reports each client's retry, or {@code null} without retry
	 */
	SteadyEndpoint(PoolStateRegistry registry, Environment environment, LearnedIdleTimeouts learned,
			@Nullable RetryReport retry) {
		this.registry = registry;
		this.sources = new SettingSources(environment);
		this.learned = learned;
		this.retry = retry;
	}

	/**
	 * Every client.
	 * @return settings and pools of every client, by name
	 */
	@ReadOperation
	public ClientsDescriptor clients() {
		Map<String, ClientDescriptor> clients = new LinkedHashMap<>();
		this.registry.clients().forEach((client) -> clients.put(client.client().name(), describe(client)));
		return new ClientsDescriptor(clients);
	}

	/**
	 * One client.
	 * @param name the client's name
	 * @return its settings and pools, or {@code null} (404) for an unknown name
	 */
	@ReadOperation
	public @Nullable ClientDescriptor client(@Selector String name) {
		ClientPoolState client = this.registry.client(name);
		return (client != null) ? describe(client) : null;
	}

	private ClientDescriptor describe(ClientPoolState state) {
		ResolvedClient client = state.client();
		Map<String, Map<String, Object>> pools = PoolSnapshot.byHost(state.snapshots());
		Map<String, String> staleAfterIdle = new LinkedHashMap<>();
		this.learned.of(client.name())
			.forEach((address, millis) -> staleAfterIdle.put(address.toString(), Duration.ofMillis(millis).toString()));
		boolean countSurvival = !client.settings().pool().reuseProvenIdleOnly();
		Map<String, Map<String, Object>> provenIdle = new LinkedHashMap<>();
		this.learned.provenOf(client.name())
			.forEach((address, host) -> provenIdle.put(address.toString(), Map.of("provenSafeIdle",
					Duration.ofMillis(this.learned.provenSafeIdleMillis(address, countSurvival)).toString(), "provenBy",
					this.learned.provenBy(address, countSurvival, client.settings().pool().honorKeepAliveHints()).name().toLowerCase(Locale.ROOT), "strict", host.strict(),
					"freshConnectionsForSafety", host.freshConnections(), "closedWhileIdle", host.idleCloses())));
		return new ClientDescriptor(client.poolName(), client.propertyPrefix(), client.baseUrl(),
				this.sources.settings(client), this.sources.hosts(client), pools, staleAfterIdle, provenIdle,
				(this.retry != null) ? this.retry.of(client.name()) : null);
	}

	/**
	 * Every client, by name.
	 *
	 * @param clients the clients
	 */
	public record ClientsDescriptor(Map<String, ClientDescriptor> clients) implements OperationResponseBody {
	}

	/**
	 * One client.
	 *
	 * @param pool Reactor Netty's name of the client's pool
	 * @param propertyPrefix where the client's own properties live
	 * @param baseUrl base URL of a named client, or {@code null}
	 * @param settings every effective setting with its source
	 * @param hostOverrides effective pool settings of each overridden host, with sources
	 * @param pools live state of the pool of each remote host served recently
	 * @param learnedStaleAfterIdle per remote address, the shortest idle time after which a
	 * reused connection died stale or was closed idle; its idle limit is that times
	 * {@code pool.learn-factor}, until {@code pool.forget-learned-after}
	 * @param provenIdle per remote address, the longest idle time the host proved safe to
	 * any client of the application (proofs are the host's, shared by every client: the time
	 * this client's requests that must not be sent twice rely on) and what proves it
	 * ({@code reuse}, {@code survival}, {@code close}, {@code hint} or {@code none}), whether
	 * the host is strict (a reused connection died stale on it), the fresh connections this
	 * client's such requests took instead of reusing a connection idle for longer, and the
	 * pooled connections the host closed while idle
	 * @param retry the retry's settings in effect and counters, or {@code null} without retry
	 */
	public record ClientDescriptor(String pool, String propertyPrefix, @Nullable String baseUrl,
			Map<String, Setting> settings, Map<String, Map<String, Setting>> hostOverrides,
			Map<String, Map<String, Object>> pools, Map<String, String> learnedStaleAfterIdle,
			Map<String, Map<String, Object>> provenIdle, @Nullable Map<String, Object> retry) implements OperationResponseBody {
	}

	/**
	 * One effective setting.
	 *
	 * @param value the value in effect, durations in ISO-8601 ({@code PT5S}); {@code null}
	 * when unset and worked out from others
	 * @param source the property that set it, or {@code default}
	 */
	public record Setting(@Nullable Object value, String source) {
	}

}
