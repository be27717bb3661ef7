package dev.steady.autoconfigure.client;

import java.net.InetSocketAddress;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Parses the "host:port" keys of per-host overrides into the address Reactor Netty keys its
 * per-host pools by.
 */
final class HostKey {

	private static final String FIX = "Use \"host:port\" with a port from 1 to 65535, in brackets because of the dots "
			+ "and the colon: hosts[api.example.com:443].pool.max-connections in .properties, "
			+ "\"[api.example.com:443]\" as the key under hosts in YAML.";

	private HostKey() {
	}

	static InetSocketAddress parse(String property, String key) {
		int colon = key.lastIndexOf(':');
		if (colon <= 0 || colon == key.length() - 1) {
			throw new InvalidConfigurationPropertyValueException(property, key, FIX);
		}
		String host = key.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			int port = Integer.parseInt(key.substring(colon + 1));
			if (port < 1 || port > 65535) {
				throw new InvalidConfigurationPropertyValueException(property, key, FIX);
			}
			return InetSocketAddress.createUnresolved(host, port);
		}
		catch (NumberFormatException ex) {
			throw new InvalidConfigurationPropertyValueException(property, key, FIX);
		}
	}

}
