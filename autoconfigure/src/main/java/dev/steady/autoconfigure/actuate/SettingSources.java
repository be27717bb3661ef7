package dev.steady.autoconfigure.actuate;

import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.steady.client.internal.ClientPropertyLayers;
import dev.steady.client.internal.ClientPropertySources;
import dev.steady.client.ClientSettings;
import dev.steady.autoconfigure.actuate.SteadyEndpoint.Setting;
import dev.steady.client.ResolvedClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * Lists every effective setting of a client with where its value came from: the highest
 * precedence property that is set, or {@code default}. Walks {@link ClientSettings} itself,
 * so a setting added there shows up here.
 */
final class SettingSources {

	static final String DEFAULT = "default";

	private final ClientPropertySources sources;

	SettingSources(Environment environment) {
		this.sources = new ClientPropertySources(environment);
	}

	/**
	 * The client's settings, keyed like their properties ({@code pool.max-connections}).
	 * @param client the client
	 * @return value and source of each setting
	 */
	Map<String, Setting> settings(ResolvedClient client) {
		Map<String, Setting> settings = new LinkedHashMap<>();
		collect(client.settings(), client.settings(), "", ClientPropertyLayers.client(client.propertyPrefix()),
				settings);
		return settings;
	}

	/**
	 * The pool settings of each host override of the client, keyed by {@code host:port}.
	 * @param client the client
	 * @return value and source of each pool setting, per host
	 */
	Map<String, Map<String, Setting>> hosts(ResolvedClient client) {
		List<String> clientLayers = ClientPropertyLayers.client(client.propertyPrefix());
		Map<String, Map<String, Setting>> hosts = new LinkedHashMap<>();
		client.hostPools().forEach((address, pool) -> {
			String hostKey = hostKey(address);
			Map<String, Setting> settings = new LinkedHashMap<>();
			collect(client.settings(), pool, "", ClientPropertyLayers.hostPool(clientLayers, hostKey), settings);
			hosts.put(hostKey, settings);
		});
		return hosts;
	}

	private void collect(ClientSettings client, Record group, String path, List<String> layers,
			Map<String, Setting> settings) {
		for (RecordComponent component : group.getClass().getRecordComponents()) {
			String name = path + DataObjectPropertyName.toDashedForm(component.getName());
			Object value = ReflectionUtils.invokeMethod(component.getAccessor(), group);
			if (value == null && group instanceof ClientSettings.Pool pool) {
				value = computedDefault(client, pool, component.getName());
			}
			if (value instanceof Record nested) {
				collect(client, nested, name + ".", layers, settings);
			}
			else {
				settings.put(name, new Setting(format(value), source(layers, name)));
			}
		}
	}

	/**
	 * The value in effect of a pool setting left unset, whose default is computed from others.
	 */
	private static @Nullable Object computedDefault(ClientSettings client, ClientSettings.Pool pool, String component) {
		return switch (component) {
			case "evictionInterval" -> pool.effectiveEvictionInterval();
			case "leakDetectionThreshold" -> client.effectiveLeakDetectionThreshold(pool);
			default -> null;
		};
	}

	private String source(List<String> layers, String name) {
		String property = this.sources.setBy(layers, name);
		return (property != null) ? property : DEFAULT;
	}

	private static @Nullable Object format(@Nullable Object value) {
		if (value instanceof Duration duration) {
			return duration.toString();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT);
		}
		if (value instanceof List<?> list) {
			// as they are written in properties: protocols [h2c, http11]
			return list.stream().map(SettingSources::format).toList();
		}
		return value;
	}

	private static String hostKey(InetSocketAddress address) {
		String host = address.getHostString();
		return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + address.getPort();
	}

}
