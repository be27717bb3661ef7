package dev.steady.client;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where a client's settings are bound from, lowest precedence first: {@code steady.client},
 * then {@code steady.clients.<name>}; for a host override, the client's pool of each layer,
 * then {@code hosts[host:port].pool} of each layer.
 */
public final class ClientPropertyLayers {

	/** Prefix of the default client's properties, which every named client inherits. */
	public static final String DEFAULT_CLIENT_PREFIX = "steady.client";

	/** Prefix under which named clients are configured. */
	public static final String NAMED_CLIENTS_PREFIX = "steady.clients.";

	private ClientPropertyLayers() {
	}

	/**
	 * The layers of a client.
	 * @param propertyPrefix the client's own prefix
	 * @return {@code steady.client}, then the client's own prefix if it differs
	 */
	public static List<String> client(String propertyPrefix) {
		return DEFAULT_CLIENT_PREFIX.equals(propertyPrefix) ? List.of(DEFAULT_CLIENT_PREFIX)
				: List.of(DEFAULT_CLIENT_PREFIX, propertyPrefix);
	}

	/**
	 * The layers of one host override of a client's pool.
	 * @param clientLayers the layers of the client
	 * @param hostKey the host's key, {@code host:port}
	 * @return the pool prefixes, lowest precedence first
	 */
	public static List<String> hostPool(List<String> clientLayers, String hostKey) {
		Stream<String> clientPools = clientLayers.stream().map((layer) -> layer + ".pool");
		Stream<String> hostPools = clientLayers.stream().map((layer) -> layer + ".hosts[" + hostKey + "].pool");
		return Stream.concat(clientPools, hostPools).toList();
	}

}
