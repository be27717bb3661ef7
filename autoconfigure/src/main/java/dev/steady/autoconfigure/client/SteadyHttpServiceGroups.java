package dev.steady.autoconfigure.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Makes every HTTP service group of one client type a Steady client named after the group.
 * Ordered after Spring Boot's configurers, which would otherwise leave every group on the
 * default client's connector or request factory.
 *
 * @param <B> the type of the groups' client builders
 */
abstract class SteadyHttpServiceGroups<B> implements HttpServiceGroupConfigurer<B> {

	/** After Spring Boot's configurers (the last at order 0); order yours higher to change a group after Steady. */
	static final int ORDER = 100;

	private final ObjectProvider<SteadyClientRegistry> clients;

	private final GroupConfiguration<B> configuration;

	SteadyHttpServiceGroups(ObjectProvider<SteadyClientRegistry> clients, GroupConfiguration<B> configuration) {
		this.clients = clients;
		this.configuration = configuration;
	}

	@Override
	public void configureGroups(Groups<B> groups) {
		SteadyClientRegistry steadyClients = this.clients.getObject();
		groups.forEachClient((group, builder) -> this.configuration.configure(steadyClients, group.name(), builder));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Gives a group's builder its Steady client.
	 *
	 * @param <B> the type of the builder
	 */
	@FunctionalInterface
	interface GroupConfiguration<B> {

		/**
		 * Give a group's builder its Steady client.
		 * @param clients the registry of Steady clients
		 * @param group the group's name
		 * @param builder the group's builder
		 */
		void configure(SteadyClientRegistry clients, String group, B builder);

	}

}
