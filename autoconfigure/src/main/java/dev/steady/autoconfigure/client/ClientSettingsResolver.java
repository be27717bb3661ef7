package dev.steady.autoconfigure.client;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.steady.autoconfigure.client.SteadyClientProperties.NamedClientSettings;
import dev.steady.client.ClientPropertyLayers;
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

	private static final String DEFAULTS = ClientPropertyLayers.DEFAULT_CLIENT_PREFIX;

	private static final String NAMED = ClientPropertyLayers.NAMED_CLIENTS_PREFIX;

	private final Binder binder;

	ClientSettingsResolver(Binder binder) {
		this.binder = binder;
	}

	ResolvedClient resolveDefault() {
		return resolve(SteadyClients.DEFAULT_CLIENT, ClientPropertyLayers.client(DEFAULTS), null);
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
			List<String> layers = ClientPropertyLayers.client(prefix);
			NamedClientSettings named = bindLayers(NamedClientSettings.class, layers);
			clients.put(name, resolve(name, layers, named.getBaseUrl()));
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
			ClientSettings.Pool pool = bindLayers(ClientSettings.Pool.class,
					ClientPropertyLayers.hostPool(layers, hostKey));
			ClientSettingsValidator.validatePool(prefix + ".hosts[" + hostKey + "].pool", pool);
			hostPools.put(address, pool);
		}
		return new ResolvedClient(name, prefix, settings, hostPools, baseUrl);
	}

	private <T> T bindLayers(Class<T> type, List<String> layers) {
		T target = BeanUtils.instantiateClass(type);
		for (String layer : layers) {
			this.binder.bind(layer, Bindable.ofInstance(target));
		}
		return target;
	}

}
