package dev.steady.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.steady.autoconfigure.client.SteadyClientProperties.NamedClientProperties;
import dev.steady.client.internal.ClientPropertyLayers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * Makes Boot's one binding of {@link SteadyClientProperties} produce the values in effect:
 * before a client's own properties are bound, the layers it inherits from are bound onto the
 * same object ({@link ClientPropertyLayers}). So {@code steady.client-defaults} starts from
 * the deprecated {@code steady.client}, a named client from both, and a host override from
 * every pool layer below it, and {@code /actuator/configprops} shows what each client uses.
 */
final class ClientPropertiesInheritance extends AbstractBindHandler {

	/** Boot hands every properties bean's binding to this handler; only Steady's need it. */
	private static final ConfigurationPropertyName STEADY = ConfigurationPropertyName.of("steady");

	private static final ConfigurationPropertyName DEFAULTS = ConfigurationPropertyName
		.of(ClientPropertyLayers.DEFAULTS_PREFIX);

	private static final ConfigurationPropertyName DEPRECATED_DEFAULTS = ConfigurationPropertyName
		.of(ClientPropertyLayers.DEPRECATED_DEFAULTS_PREFIX);

	private static final ConfigurationPropertyName NAMED = ConfigurationPropertyName.of("steady.clients");

	ClientPropertiesInheritance(BindHandler parent) {
		super(parent);
	}

	@Override
	public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
		Bindable<T> inheriting = STEADY.isAncestorOf(name) ? inherit(name, target, context.getBinder()) : target;
		return super.onStart(name, inheriting, context);
	}

	@SuppressWarnings("unchecked")
	private <T> Bindable<T> inherit(ConfigurationPropertyName name, Bindable<T> target, Binder binder) {
		if (name.equals(DEFAULTS) && target.getValue() != null
				&& target.getValue().get() instanceof ClientProperties defaults) {
			inheritInto(defaults, ClientPropertyLayers.client(ClientPropertyLayers.DEFAULTS_PREFIX), binder);
			return target;
		}
		if (NAMED.isParentOf(name) && target.getType().resolve() == NamedClientProperties.class) {
			NamedClientProperties named = new NamedClientProperties();
			inheritInto(named, ClientPropertyLayers.client(prefixOf(name)), binder);
			return target.withExistingValue((T) named);
		}
		String client = hostOwner(name);
		if (client != null && target.getType().resolve() == ClientProperties.Host.class) {
			List<String> layers = ClientPropertyLayers.hostPool(ClientPropertyLayers.client(client),
					name.getLastElement(Form.ORIGINAL));
			return target.withExistingValue((T) host(layers.subList(0, layers.size() - 1), binder));
		}
		return target;
	}

	/**
	 * Bind every layer below the client's own onto it, then give each inherited host
	 * override every pool layer of this client.
	 */
	private static void inheritInto(ClientProperties client, List<String> layers, Binder binder) {
		Bindable<ClientProperties> bindable = Bindable.of(ClientProperties.class).withExistingValue(client);
		layers.subList(0, layers.size() - 1).forEach((layer) -> binder.bind(layer, bindable));
		Map<String, ClientProperties.Host> hosts = new LinkedHashMap<>();
		client.getHosts()
			.keySet()
			.forEach((hostKey) -> hosts.put(hostKey, host(ClientPropertyLayers.hostPool(layers, hostKey), binder)));
		client.setHosts(hosts);
	}

	private static ClientProperties.Host host(List<String> poolLayers, Binder binder) {
		ClientProperties.Host host = new ClientProperties.Host();
		Bindable<ClientProperties.Pool> pool = Bindable.of(ClientProperties.Pool.class).withExistingValue(host.getPool());
		poolLayers.forEach((layer) -> binder.bind(layer, pool));
		return host;
	}

	/** The client prefix of a host override {@code <client>.hosts[key]}, or null. */
	private static @Nullable String hostOwner(ConfigurationPropertyName name) {
		ConfigurationPropertyName hosts = name.getParent();
		if (name.getNumberOfElements() < 2 || !"hosts".equals(hosts.getLastElement(Form.UNIFORM))) {
			return null;
		}
		ConfigurationPropertyName client = hosts.getParent();
		if (client.equals(DEFAULTS) || client.equals(DEPRECATED_DEFAULTS)) {
			return client.toString();
		}
		return NAMED.isParentOf(client) ? prefixOf(client) : null;
	}

	private static String prefixOf(ConfigurationPropertyName named) {
		return ClientPropertyLayers.NAMED_CLIENTS_PREFIX + named.getLastElement(Form.ORIGINAL);
	}

}
