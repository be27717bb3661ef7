package dev.steady.sample.bench;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The smallest Spring Boot application: the auto-configuration of what is on the sample's
 * classpath, no beans of its own, with or without Steady's auto-configurations. It reads no
 * {@code application.yml}, so Steady's clients have their default settings, and logs only
 * errors (Reactor Netty warns of every failure the burst scenario provokes on purpose). Not a
 * {@code @Configuration}, so the sample application's component scan leaves it alone.
 */
@EnableAutoConfiguration
final class MinimalApplication {

	/**
	 * Start the application.
	 * @param type the kind of application context
	 * @param steady whether Steady's auto-configurations apply
	 * @param properties further properties, as {@code key=value}
	 * @return the started context
	 */
	static ConfigurableApplicationContext start(WebApplicationType type, boolean steady, String... properties) {
		return builder(type, steady, properties).run();
	}

	/**
	 * Start the application without Steady, its HTTP clients on Reactor Netty resources of
	 * their own: in a JVM where a Steady application replaced Reactor Netty's global pool,
	 * this is what the application's clients would have without Steady.
	 * @param type the kind of application context
	 * @return the started context
	 */
	static ConfigurableApplicationContext startWithoutSteadyOnOwnResources(WebApplicationType type) {
		ReactorResourceFactory ownResources = new ReactorResourceFactory();
		ownResources.setUseGlobalResources(false);
		return builder(type, false)
			.initializers((context) -> context.getBeanFactory().registerSingleton("reactorResourceFactory", ownResources))
			.run();
	}

	static SpringApplicationBuilder builder(WebApplicationType type, boolean steady, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.config.name=steady-benchmark", "spring.main.banner-mode=off",
				"logging.level.root=error"));
		if (!steady) {
			all.add("spring.autoconfigure.exclude=" + String.join(",", steadyAutoConfigurations()));
		}
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(MinimalApplication.class).web(type)
			.properties(all.toArray(String[]::new));
	}

	/**
	 * Steady's auto-configurations, as registered in its
	 * {@code AutoConfiguration.imports}.
	 * @return their class names
	 */
	static List<String> steadyAutoConfigurations() {
		return ImportCandidates.load(AutoConfiguration.class, MinimalApplication.class.getClassLoader())
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("dev.steady."))
			.toList();
	}

}
