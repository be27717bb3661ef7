package dev.steady.autoconfigure.internal;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks shared by Steady's property groups. Each failure names the property, the value,
 * the rule and the fix, through Spring Boot's failure analysis. The property's full name is
 * worked out only when a check fails: finding the key that set a value searches every
 * property source, work a valid start need not do for every property.
 */
public final class PropertyRules {

	/** Names a property by its full name, as given. */
	private static final UnaryOperator<String> AS_GIVEN = UnaryOperator.identity();

	private PropertyRules() {
	}

	/**
	 * Require a duration greater than zero.
	 * @param name the property's full name
	 * @param value the bound value
	 */
	public static void positive(String name, Duration value) {
		positive(AS_GIVEN, name, value);
	}

	/**
	 * Require a duration of at least one second.
	 * @param name the property's full name
	 * @param value the bound value
	 */
	public static void wholeSeconds(String name, Duration value) {
		wholeSeconds(AS_GIVEN, name, value);
	}

	/**
	 * Require a TCP keep-alive probe count of at least one.
	 * @param name the property's full name
	 * @param count the bound value
	 */
	public static void probeCount(String name, int count) {
		probeCount(AS_GIVEN, name, count);
	}

	/**
	 * Require a duration greater than zero.
	 * @param names the full property name of a key
	 * @param key the property's key within its group
	 * @param value the bound value
	 */
	public static void positive(UnaryOperator<String> names, String key, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(names.apply(key), value,
					"It must be a positive duration, such as 500ms or 5s.");
		}
	}

	/**
	 * Fail unless a duration is zero or more.
	 * @param names the full property name of a key
	 * @param key the property's key within its group
	 * @param value the bound value
	 */
	public static void notNegative(UnaryOperator<String> names, String key, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(names.apply(key), value, "It must not be negative.");
		}
	}

	/**
	 * Require a duration of at least one second, for settings counted in whole seconds (TCP
	 * keep-alive socket options, the retry budget's window).
	 * @param names the full property name of a key
	 * @param key the property's key within its group
	 * @param value the bound value
	 */
	public static void wholeSeconds(UnaryOperator<String> names, String key, Duration value) {
		if (value.toSeconds() < 1) {
			throw new InvalidConfigurationPropertyValueException(names.apply(key), value,
					"It has a resolution of one second; use 1s or more.");
		}
	}

	/**
	 * Require a TCP keep-alive probe count of at least one.
	 * @param names the full property name of a key
	 * @param key the property's key within its group
	 * @param count the bound value
	 */
	public static void probeCount(UnaryOperator<String> names, String key, int count) {
		if (count < 1) {
			throw new InvalidConfigurationPropertyValueException(names.apply(key), count, "The probe count must be at least 1.");
		}
	}

}
