package dev.steady.autoconfigure.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes every {@code WebClient} HTTP service group a Steady client named after the group:
 * its own pool, {@code steady.clients.<group>.*} settings, filters (retry), health, meters
 * and endpoint entry, with Spring Boot's {@code spring.http.serviceclient.<group>.*} applied
 * over them. Ordered after Spring Boot's configurers, whose {@code WebClientCustomizer} pass
 * would otherwise leave every group on the default client's connector.
 */
final class SteadyHttpServiceGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

	/** After Spring Boot's configurers (the last at order 0); order yours higher to change a group after Steady. */
	static final int ORDER = 100;

	private final ObjectProvider<SteadyClientRegistry> clients;

	SteadyHttpServiceGroupConfigurer(ObjectProvider<SteadyClientRegistry> clients) {
		this.clients = clients;
	}

	@Override
	public void configureGroups(Groups<WebClient.Builder> groups) {
		SteadyClientRegistry steadyClients = this.clients.getObject();
		groups.forEachClient((group, builder) -> steadyClients.configureGroup(group.name(), builder));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
