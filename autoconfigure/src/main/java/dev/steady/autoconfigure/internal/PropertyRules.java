package dev.steady.autoconfigure.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks shared by Steady's property groups. Each failure names the property, the value,
 * the rule and the fix, through Spring Boot's failure analysis.
 */
public final class PropertyRules {

	private PropertyRules() {
	}

	/**
	 * Require a duration greater than zero.
	 * @param name the property name
	 * @param value the bound value
	 */
	public static void positive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"It must be a positive duration, such as 500ms or 5s.");
		}
	}

	/**
	 * Fail unless a duration is zero or more.
	 * @param name the property name
	 * @param value the bound value
	 */
	public static void notNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "It must not be negative.");
		}
	}

	/**
	 * Require a duration of at least one second, for settings counted in whole seconds (TCP
	 * keep-alive socket options, the retry budget's window).
	 * @param name the property name
	 * @param value the bound value
	 */
	public static void wholeSeconds(String name, Duration value) {
		if (value.toSeconds() < 1) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"It has a resolution of one second; use 1s or more.");
		}
	}

	/**
	 * Require a TCP keep-alive probe count of at least one.
	 * @param name the property name
	 * @param count the bound value
	 */
	public static void probeCount(String name, int count) {
		if (count < 1) {
			throw new InvalidConfigurationPropertyValueException(name, count, "The probe count must be at least 1.");
		}
	}

}
