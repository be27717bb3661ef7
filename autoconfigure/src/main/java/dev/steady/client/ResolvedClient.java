package dev.steady.client;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Effective settings of one client after defaults and named-client inheritance.
 *
 * @param name the client's name
 * @param propertyPrefix where the client's own properties live ({@code steady.client-defaults}
 * or {@code steady.clients.<name>}), so messages can name the property to change
 * @param settings the effective client settings
 * @param hostPools effective pool settings of the remote hosts that override them
 * @param baseUrl base URL of a named client, or {@code null}
 *
 * @since 0.1.0
 */
public record ResolvedClient(String name, String propertyPrefix, ClientSettings settings,
		Map<InetSocketAddress, ClientSettings.Pool> hostPools, @Nullable String baseUrl) {

	public ResolvedClient {
		hostPools = Collections.unmodifiableMap(new LinkedHashMap<>(hostPools));
	}

	/**
	 * Pool name of this client, as it appears in Reactor Netty's metrics and logs.
	 * @return the pool name
	 */
	public String poolName() {
		return "steady-" + this.name;
	}

	/**
	 * Pool settings in effect for one remote host: its override, or the client's pool.
	 * @param host the host name or address, as in the request URI
	 * @param port the port
	 * @return the pool settings
	 */
	public ClientSettings.Pool pool(String host, int port) {
		ClientSettings.Pool hostPool = this.hostPools.get(InetSocketAddress.createUnresolved(host, port));
		return (hostPool != null) ? hostPool : this.settings.pool();
	}

}
