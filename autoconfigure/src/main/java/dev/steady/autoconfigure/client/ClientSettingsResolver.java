package dev.steady.autoconfigure.client;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.steady.autoconfigure.client.SteadyClientProperties.NamedClientProperties;
import dev.steady.client.internal.ClientPropertyLayers;
import dev.steady.client.internal.ClientPropertySources;
import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the bound {@link SteadyClientProperties}, which already hold each client's values in
 * effect, into each client's immutable settings: checks every value (failing with the key the
 * user wrote, the value and the fix), parses host keys, and maps.
 */
final class ClientSettingsResolver {

	private static final String DEFAULTS = ClientPropertyLayers.DEFAULTS_PREFIX;

	private final SteadyClientProperties properties;

	private final ClientPropertySources sources;

	ClientSettingsResolver(SteadyClientProperties properties, ClientPropertySources sources) {
		this.properties = properties;
		this.sources = sources;
	}

	/**
	 * The client behind Boot's builder. Its messages name the prefix the application writes:
	 * the deprecated {@code steady.client} when that is the only one it uses.
	 * @return the default client
	 */
	ResolvedClient resolveDefault() {
		String deprecated = ClientPropertyLayers.DEPRECATED_DEFAULTS_PREFIX;
		String prefix = (this.sources.isSet(deprecated) && !this.sources.isSet(DEFAULTS)) ? deprecated : DEFAULTS;
		return resolve(SteadyClients.DEFAULT_CLIENT, prefix, this.properties.getClientDefaults(), null);
	}

	/**
	 * The clients configured under {@code steady.clients.<name>}.
	 * @return the clients, by name
	 */
	Map<String, ResolvedClient> resolveNamed() {
		Map<String, ResolvedClient> clients = new LinkedHashMap<>();
		for (Map.Entry<String, NamedClientProperties> named : this.properties.getClients().entrySet()) {
			clients.put(named.getKey(), resolveNamed(named.getKey(), named.getValue()));
		}
		return clients;
	}

	/**
	 * A client with no properties of its own, such as an HTTP service group that is not
	 * configured under {@code steady.clients}: the defaults under its name.
	 * @param name the client's name
	 * @return the client
	 */
	ResolvedClient resolveUnconfigured(String name) {
		return resolve(name, ClientPropertyLayers.NAMED_CLIENTS_PREFIX + name, this.properties.getClientDefaults(),
				null);
	}

	private ResolvedClient resolveNamed(String name, NamedClientProperties named) {
		String prefix = ClientPropertyLayers.NAMED_CLIENTS_PREFIX + name;
		if (SteadyClients.DEFAULT_CLIENT.equals(name)) {
			throw new InvalidConfigurationPropertyValueException(prefix, name,
					"'default' names the client behind Spring Boot's WebClient.Builder; configure it under "
							+ DEFAULTS + ".* or choose another name.");
		}
		return resolve(name, prefix, named, named.getBaseUrl());
	}

	private ResolvedClient resolve(String name, String prefix, ClientProperties client, @Nullable String baseUrl) {
		List<String> layers = ClientPropertyLayers.client(prefix);
		UnaryOperator<String> propertyNames = propertyNames(layers, prefix);
		ClientSettingsValidator.validate(propertyNames, client);
		Map<InetSocketAddress, ClientSettings.Pool> hostPools = new LinkedHashMap<>();
		for (Map.Entry<String, ClientProperties.Host> hostEntry : client.getHosts().entrySet()) {
			String hostKey = hostEntry.getKey();
			ClientProperties.Host host = hostEntry.getValue();
			String hostProperty = propertyNames.apply("hosts[" + hostKey + "]");
			InetSocketAddress address = HostKey.parse(hostProperty.substring(0, hostProperty.lastIndexOf('[')), hostKey);
			List<String> poolLayers = ClientPropertyLayers.hostPool(layers, hostKey);
			ClientSettingsValidator.validatePool(propertyNames(poolLayers, poolLayers.get(poolLayers.size() - 1)),
					host.getPool());
			hostPools.put(address, ClientSettingsMapper.pool(host.getPool()));
		}
		return new ResolvedClient(name, prefix, ClientSettingsMapper.map(client), hostPools, baseUrl);
	}

	/** Full property names of values below the layers: the key that set it, else the client's own. */
	private UnaryOperator<String> propertyNames(List<String> layers, String ownPrefix) {
		return (name) -> {
			String setBy = this.sources.setBy(layers, name);
			return (setBy != null) ? setBy : ownPrefix + "." + name;
		};
	}

}
