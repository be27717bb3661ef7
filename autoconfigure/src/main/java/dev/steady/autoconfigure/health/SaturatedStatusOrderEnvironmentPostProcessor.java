package dev.steady.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts Steady's {@code SATURATED} health status in Spring Boot's default status order,
 * between OUT_OF_SERVICE and UP. Boot leaves a status that is not in the order out of every
 * aggregate, so without this a saturated pool would not show in {@code /actuator/health}.
 * Only with Steady's health on ({@code management.health.steady.enabled}, else
 * {@code management.health.defaults.enabled}): otherwise nothing is written.
 * Added as the last property source: an order the application sets wins (and should then
 * list SATURATED).
 */
final class SaturatedStatusOrderEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String ORDER_PROPERTY = "management.endpoint.health.status.order";

	static final String ORDER = "DOWN,OUT_OF_SERVICE,SATURATED,UP,UNKNOWN";

	private static final String HEALTH_CONTRIBUTOR = "org.springframework.boot.health.contributor.HealthContributor";

	/** Boot's rule for a health indicator's switch, with its defaults switch as fallback. */
	private static boolean steadyHealthEnabled(ConfigurableEnvironment environment) {
		Boolean enabled = environment.getProperty("management.health.steady.enabled", Boolean.class);
		return (enabled != null) ? enabled
				: environment.getProperty("management.health.defaults.enabled", Boolean.class, true);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent(HEALTH_CONTRIBUTOR, getClass().getClassLoader()) && steadyHealthEnabled(environment)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("steadyHealthStatusOrder", Map.of(ORDER_PROPERTY, ORDER)));
		}
	}

}
