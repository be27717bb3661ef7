package dev.steady.autoconfigure.client;

import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.steady.autoconfigure.StartupFailures.assertFailsNaming;
import static org.assertj.core.api.Assertions.assertThat;

class SteadyGlobalPoolAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class));

	@Test
	void globalPoolIsSteadysWhileTheContextRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SteadyGlobalPool.class);
			assertThat(HttpResources.get().name()).isEqualTo("steady-global");
		});
	}

	@Test
	void globalPoolIsLeftAloneWhenDisabled() {
		HttpResources before = HttpResources.get();
		this.contextRunner.withPropertyValues("steady.global.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SteadyGlobalPool.class);
			assertThat(HttpResources.get()).isSameAs(before);
		});
	}

	@Test
	void invalidUnprovenReuseIdleFailsStartupNamingIt() {
		assertFailsNaming(this.contextRunner, "steady.client.pool.unproven-reuse-max-idle=-1ms",
				"steady.client.pool.unproven-reuse-max-idle", "PT-0.001S");
	}

}
