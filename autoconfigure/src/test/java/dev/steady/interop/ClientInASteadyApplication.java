package dev.steady.interop;

import java.util.function.Function;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.testserver.SteadyAutoConfigurations;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The two ways a Steady application's code gets a {@link WebClient} at default settings: from
 * the auto-configured builder, and by hand on the global pool.
 */
enum ClientInASteadyApplication {

	/** {@code WebClient.Builder} injected from Boot, tuned by Steady. */
	STEADY_BUILDER((context) -> context.getBean(WebClient.Builder.class).build()),

	/** {@code WebClient.create()}, on the global pool Steady replaced. */
	WEB_CLIENT_CREATE((context) -> WebClient.create());

	private final Function<ApplicationContext, WebClient> factory;

	ClientInASteadyApplication(Function<ApplicationContext, WebClient> factory) {
		this.factory = factory;
	}

	/**
	 * A Steady application: Steady's clients, retry and global pool with Boot's WebClient support.
	 * @return a runner for it
	 */
	static ApplicationContextRunner application() {
		return new ApplicationContextRunner().withConfiguration(SteadyAutoConfigurations.clients())
			.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class));
	}

	/**
	 * Build this client in a running application.
	 * @param context the application
	 * @return the client
	 */
	WebClient in(ApplicationContext context) {
		return this.factory.apply(context);
	}

}
