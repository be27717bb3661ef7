package dev.steady.client.internal;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where a client's settings come from, lowest precedence first: the deprecated
 * {@code steady.client}, then {@code steady.client-defaults}, then, for a named client,
 * {@code steady.clients.<name>}; for a host override, the client's pool of each layer, then
 * {@code hosts[host:port].pool} of each layer.
 */
public final class ClientPropertyLayers {

	/** Deprecated prefix of the defaults, still read below {@link #DEFAULTS_PREFIX}. */
	public static final String DEPRECATED_DEFAULTS_PREFIX = "steady.client";

	/** Prefix of the default client's properties, which every named client inherits. */
	public static final String DEFAULTS_PREFIX = "steady.client-defaults";

	/** Prefix under which named clients are configured. */
	public static final String NAMED_CLIENTS_PREFIX = "steady.clients.";

	private ClientPropertyLayers() {
	}

	/**
	 * The layers of a client.
	 * @param propertyPrefix the client's own prefix
	 * @return the deprecated defaults, the defaults, then the client's own prefix, each only
	 * once
	 */
	public static List<String> client(String propertyPrefix) {
		if (DEPRECATED_DEFAULTS_PREFIX.equals(propertyPrefix)) {
			return List.of(DEPRECATED_DEFAULTS_PREFIX);
		}
		if (DEFAULTS_PREFIX.equals(propertyPrefix)) {
			return List.of(DEPRECATED_DEFAULTS_PREFIX, DEFAULTS_PREFIX);
		}
		return List.of(DEPRECATED_DEFAULTS_PREFIX, DEFAULTS_PREFIX, propertyPrefix);
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
