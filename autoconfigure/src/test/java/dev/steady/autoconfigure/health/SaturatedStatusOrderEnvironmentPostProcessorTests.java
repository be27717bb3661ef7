package dev.steady.autoconfigure.health;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class SaturatedStatusOrderEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void saturatedGoesBetweenOutOfServiceAndUp() {
		new SaturatedStatusOrderEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
		assertThat(order()).containsExactly("DOWN", "OUT_OF_SERVICE", "SATURATED", "UP", "UNKNOWN");
	}

	@Test
	void orderTheApplicationSetsWins() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("app",
					Map.of(SaturatedStatusOrderEnvironmentPostProcessor.ORDER_PROPERTY + "[0]", "DOWN",
							SaturatedStatusOrderEnvironmentPostProcessor.ORDER_PROPERTY + "[1]", "UP")));
		new SaturatedStatusOrderEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
		assertThat(order()).containsExactly("DOWN", "UP");
	}

	@Test
	void nothingIsWrittenWithSteadysHealthOff() {
		postProcessWith(Map.of("management.health.steady.enabled", "false"));
		assertThat(this.environment.containsProperty(SaturatedStatusOrderEnvironmentPostProcessor.ORDER_PROPERTY))
			.isFalse();
	}

	@Test
	void nothingIsWrittenWithEveryHealthIndicatorOffByDefault() {
		postProcessWith(Map.of("management.health.defaults.enabled", "false"));
		assertThat(this.environment.containsProperty(SaturatedStatusOrderEnvironmentPostProcessor.ORDER_PROPERTY))
			.isFalse();
	}

	@Test
	void steadysOwnSwitchWinsOverTheDefaultsSwitch() {
		postProcessWith(Map.of("management.health.defaults.enabled", "false", "management.health.steady.enabled", "true"));
		assertThat(order()).contains("SATURATED");
	}

	private void postProcessWith(Map<String, Object> applicationProperties) {
		this.environment.getPropertySources().addFirst(new MapPropertySource("app", applicationProperties));
		new SaturatedStatusOrderEnvironmentPostProcessor().postProcessEnvironment(this.environment, null);
	}

	private List<String> order() {
		return Binder.get(this.environment)
			.bind(SaturatedStatusOrderEnvironmentPostProcessor.ORDER_PROPERTY, Bindable.listOf(String.class))
			.get();
	}

}
