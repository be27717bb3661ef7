package dev.steady.sample;

import java.net.URI;

import org.springframework.web.service.annotation.GetExchange;

/**
 * A blocking upstream as an HTTP service interface in the group "legacy", of Spring Boot's
 * default client type, {@code RestClient}: Steady gives the group its own client, configured
 * under {@code steady.clients.legacy}.
 */
interface LegacyApi {

	/**
	 * Ask the upstream for its greeting.
	 * @param url where the upstream is (this application, on whatever port it got)
	 * @return the upstream's answer
	 */
	@GetExchange
	String hello(URI url);

}
