package dev.steady.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assertion every auto-configuration test makes of a bad value: startup failed, and the
 * failure names the property and the value.
 */
public final class StartupFailures {

	private StartupFailures() {
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
