package dev.steady.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assertion every auto-configuration test makes of a bad value: startup failed, and the
 * failure names the property and the value.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	/**
	 * Start a context with one property set and expect it to fail naming it.
	 * @param contextRunner the runner to start
	 * @param property the {@code name=value} to set
	 * @param name the property the failure must name
	 * @param value the value the failure must quote
	 */
	public static void assertFailsNaming(ApplicationContextRunner contextRunner, String property, String name,
			String value) {
		contextRunner.withPropertyValues(property).run((context) -> assertInvalidProperty(context, name, value));
	}

	/**
	 * Assert that a context failed to start because of one invalid property value.
	 * @param context the context the runner tried to start
	 * @param name the property the failure must name
	 * @param value the value the failure must quote
	 */
	public static void assertInvalidProperty(ApplicationContextAssertProvider<?> context, String name, String value) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("Property " + name + " ")
			.hasMessageContaining("'" + value + "'");
	}

}
