package dev.steady.testserver;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a bad property value stops the context with a message naming the property
 * and the value, as Boot's failure analyzer prints it.
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
		contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + name + " ")
				.hasMessageContaining("'" + value + "'");
		});
	}

}
