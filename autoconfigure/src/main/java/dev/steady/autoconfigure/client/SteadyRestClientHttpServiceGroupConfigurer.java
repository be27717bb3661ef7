package dev.steady.autoconfigure.client;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * Makes every {@code RestClient} HTTP service group (Spring Boot's default group type) a
 * Steady client named after the group, as {@code WebClient} groups are: a request factory
 * on the group's own pool and filters (retry), with Spring Boot's
 * {@code spring.http.serviceclient.<group>.*} applied over Steady's settings.
 */
final class SteadyRestClientHttpServiceGroupConfigurer extends SteadyHttpServiceGroups<RestClient.Builder>
		implements RestClientHttpServiceGroupConfigurer {

	SteadyRestClientHttpServiceGroupConfigurer(ObjectProvider<SteadyClientRegistry> clients) {
		super(clients, SteadyClientRegistry::configureGroup);
	}

}
