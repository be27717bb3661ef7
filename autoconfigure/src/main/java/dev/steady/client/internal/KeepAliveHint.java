package dev.steady.client.internal;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code timeout} parameter of a {@code Keep-Alive} response header
 * ({@code Keep-Alive: timeout=5, max=1000}), as Apache, nginx, Node and Steady's own server
 * send it. A malformed header is ignored, never an error.
 */
final class KeepAliveHint {

	private KeepAliveHint() {
	}

	/**
	 * Parse the idle timeout a server announces.
	 * @param header the {@code Keep-Alive} header value, or {@code null}
	 * @return the announced timeout, or {@code null} when absent or unreadable
	 */
	public static @Nullable Duration timeout(@Nullable String header) {
		if (header == null) {
			return null;
		}
		for (String parameter : header.split(",")) {
			String[] nameAndValue = parameter.split("=", 2);
			if (nameAndValue.length == 2 && nameAndValue[0].trim().toLowerCase(Locale.ROOT).equals("timeout")) {
				try {
					long seconds = Long.parseLong(nameAndValue[1].trim());
					return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

}
