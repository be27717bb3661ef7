package dev.steady.actuate;

import java.beans.PropertyDescriptor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.steady.client.ClientPropertyLayers;
import dev.steady.client.ClientSettings;
import dev.steady.actuate.SteadyEndpoint.Setting;
import dev.steady.client.ResolvedClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Lists every effective setting of a client with where its value came from: the highest
 * precedence property that is set, or {@code default}. Walks {@link ClientSettings} itself,
 * so a setting added there shows up here.
 */
final class SettingSources {

	static final String DEFAULT = "default";

	private final Iterable<ConfigurationPropertySource> sources;

	SettingSources(Environment environment) {
		this.sources = ConfigurationPropertySources.get(environment);
	}

	/**
	 * The client's settings, keyed like their properties ({@code pool.max-connections}).
	 * @param client the client
	 * @return value and source of each setting
	 */
	Map<String, Setting> settings(ResolvedClient client) {
		Map<String, Setting> settings = new LinkedHashMap<>();
		collect(client.settings(), "", ClientPropertyLayers.client(client.propertyPrefix()), settings);
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
			collect(pool, "", ClientPropertyLayers.hostPool(clientLayers, hostKey), settings);
			hosts.put(hostKey, settings);
		});
		return hosts;
	}

	private void collect(Object group, String path, List<String> layers, Map<String, Setting> settings) {
		BeanWrapper wrapper = new BeanWrapperImpl(group);
		for (PropertyDescriptor property : wrapper.getPropertyDescriptors()) {
			Class<?> type = property.getPropertyType();
			if (property.getReadMethod() == null || type == null || Map.class.isAssignableFrom(type)
					|| type == Class.class) {
				continue;
			}
			String name = path + DataObjectPropertyName.toDashedForm(property.getName());
			Object value = wrapper.getPropertyValue(property.getName());
			if (isGroup(type) && value != null) {
				collect(value, name + ".", layers, settings);
			}
			else if (property.getWriteMethod() != null) {
				settings.put(name, new Setting(format(value), source(layers, name)));
			}
		}
	}

	private static boolean isGroup(Class<?> type) {
		return type.getEnclosingClass() == ClientSettings.class && !type.isEnum();
	}

	private String source(List<String> layers, String name) {
		for (int i = layers.size() - 1; i >= 0; i--) {
			String property = layers.get(i) + "." + name;
			if (isSet(property)) {
				return property;
			}
		}
		return DEFAULT;
	}

	private boolean isSet(String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : this.sources) {
			if (source.getConfigurationProperty(name) != null) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable Object format(@Nullable Object value) {
		if (value instanceof Duration duration) {
			return duration.toString();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name().toLowerCase(Locale.ROOT);
		}
		return value;
	}

	private static String hostKey(InetSocketAddress address) {
		String host = address.getHostString();
		return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + address.getPort();
	}

}
