package dev.steady.autoconfigure.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * Makes every {@code RestClient} HTTP service group (Spring Boot's default group type) a
 * Steady client named after the group, as {@link SteadyHttpServiceGroupConfigurer} does for
 * {@code WebClient} groups, and at the same order, after Spring Boot's configurers.
 */
final class SteadyRestClientHttpServiceGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

	private final ObjectProvider<SteadyClientRegistry> clients;

	SteadyRestClientHttpServiceGroupConfigurer(ObjectProvider<SteadyClientRegistry> clients) {
		this.clients = clients;
	}

	@Override
	public void configureGroups(Groups<RestClient.Builder> groups) {
		SteadyClientRegistry steadyClients = this.clients.getObject();
		groups.forEachClient((group, builder) -> steadyClients.configureGroup(group.name(), builder));
	}

	@Override
	public int getOrder() {
		return SteadyHttpServiceGroupConfigurer.ORDER;
	}

}
