package dev.steady.retry.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code Retry-After} header: a number of seconds or an HTTP date.
 */
final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * Parse a {@code Retry-After} value.
	 * @param value the header value, or {@code null}
	 * @param now the current time, for HTTP dates
	 * @return the wait it asks for (zero when absent, in the past or unreadable)
	 */
	static Duration parse(@Nullable String value, Instant now) {
		if (value == null || value.isBlank()) {
			return Duration.ZERO;
		}
		String trimmed = value.trim();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
			}
			catch (DateTimeParseException unreadable) {
				return Duration.ZERO;
			}
		}
	}

}
