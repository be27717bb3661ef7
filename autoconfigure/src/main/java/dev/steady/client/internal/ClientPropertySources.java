package dev.steady.client.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * Finds which property of a client's layers ({@link ClientPropertyLayers}) set a value, so
 * the endpoint can show where each setting came from and a bad value is reported under the
 * key the user wrote.
 */
public final class ClientPropertySources {

	private final Iterable<ConfigurationPropertySource> sources;

	/**
	 * Look properties up in an environment.
	 * @param environment the environment
	 */
	public ClientPropertySources(Environment environment) {
		this.sources = ConfigurationPropertySources.get(environment);
	}

	/**
	 * The highest-precedence property that sets a value, or a group of values.
	 * @param layers the prefixes, lowest precedence first
	 * @param name the value's name below a prefix, such as {@code pool.max-connections}
	 * @return the full property name, or {@code null} when no layer sets it
	 */
	public @Nullable String setBy(List<String> layers, String name) {
		for (int i = layers.size() - 1; i >= 0; i--) {
			String property = layers.get(i) + "." + name;
			if (isSetProperty(property)) {
				return property;
			}
		}
		return null;
	}

	/**
	 * Whether any property is set below a prefix.
	 * @param prefix the prefix, such as {@code steady.client}
	 * @return whether the prefix or any key below it is set
	 */
	public boolean isSet(String prefix) {
		return isSetProperty(prefix);
	}

	private boolean isSetProperty(String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : this.sources) {
			if (source.getConfigurationProperty(name) != null
					|| source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

}
