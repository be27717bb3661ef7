package dev.steady.autoconfigure.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Makes every {@code WebClient} HTTP service group a Steady client named after the group:
 * its own pool, {@code steady.clients.<group>.*} settings, filters (retry), health, meters
 * and endpoint entry, with Spring Boot's {@code spring.http.serviceclient.<group>.*} applied
 * over them.
 */
final class SteadyHttpServiceGroupConfigurer extends SteadyHttpServiceGroups<WebClient.Builder>
		implements WebClientHttpServiceGroupConfigurer {

	SteadyHttpServiceGroupConfigurer(ObjectProvider<SteadyClientRegistry> clients) {
		super(clients, SteadyClientRegistry::configureGroup);
	}

}
