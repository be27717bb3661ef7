package dev.steady.autoconfigure.client;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.steady.autoconfigure.client.SteadyClientProperties.NamedClientSettings;
import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Works out each client's effective settings by binding layers of properties onto one
 * object, later layers winning: {@code steady.client}, then {@code steady.clients.<name>};
 * for a host override, the client's pool, then {@code hosts[host:port].pool} of each layer.
 * Then checks every value, failing with the property, the value and the fix.
 */
final class ClientSettingsResolver {

	private static final String DEFAULTS = "steady.client";

	private static final String NAMED = "steady.clients.";

	private final Binder binder;

	ClientSettingsResolver(Binder binder) {
		this.binder = binder;
	}

	ResolvedClient resolveDefault() {
		return resolve(SteadyClients.DEFAULT_CLIENT, List.of(DEFAULTS), null);
	}

	Map<String, ResolvedClient> resolveNamed(Iterable<String> names) {
		Map<String, ResolvedClient> clients = new LinkedHashMap<>();
		for (String name : names) {
			if (SteadyClients.DEFAULT_CLIENT.equals(name)) {
				throw new InvalidConfigurationPropertyValueException(NAMED + name, name,
						"'default' names the client behind Spring Boot's WebClient.Builder; configure it under "
								+ DEFAULTS + ".* or choose another name.");
			}
			String prefix = NAMED + name;
			NamedClientSettings named = bindLayers(NamedClientSettings.class, List.of(DEFAULTS, prefix));
			clients.put(name, resolve(name, List.of(DEFAULTS, prefix), named.getBaseUrl()));
		}
		return clients;
	}

	private ResolvedClient resolve(String name, List<String> layers, @Nullable String baseUrl) {
		String prefix = layers.get(layers.size() - 1);
		ClientSettings settings = bindLayers(ClientSettings.class, layers);
		ClientSettingsValidator.validate(prefix, settings);
		Map<InetSocketAddress, ClientSettings.Pool> hostPools = new LinkedHashMap<>();
		for (String hostKey : settings.getHosts().keySet()) {
			InetSocketAddress address = HostKey.parse(prefix + ".hosts", hostKey);
			ClientSettings.Pool pool = bindLayers(ClientSettings.Pool.class, hostPoolLayers(layers, hostKey));
			ClientSettingsValidator.validatePool(prefix + ".hosts[" + hostKey + "].pool", pool);
			hostPools.put(address, pool);
		}
		return new ResolvedClient(name, prefix, settings, hostPools, baseUrl);
	}

	private static List<String> hostPoolLayers(List<String> layers, String hostKey) {
		List<String> clientPools = layers.stream().map((layer) -> layer + ".pool").toList();
		List<String> hostPools = layers.stream().map((layer) -> layer + ".hosts[" + hostKey + "].pool").toList();
		return Stream.concat(clientPools.stream(), hostPools.stream()).toList();
	}

	private <T> T bindLayers(Class<T> type, List<String> layers) {
		T target = BeanUtils.instantiateClass(type);
		for (String layer : layers) {
			this.binder.bind(layer, Bindable.ofInstance(target));
		}
		return target;
	}

}
