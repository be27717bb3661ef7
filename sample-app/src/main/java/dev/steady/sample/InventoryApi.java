package dev.steady.sample;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.web.service.annotation.GetExchange;

/**
 * The inventory upstream as an HTTP service interface, in the group "inventory": Steady
 * gives the group its own client, configured under {@code steady.clients.inventory}.
 */
interface InventoryApi {

	/**
	 * Ask the upstream for its greeting.
	 * @param url where the upstream is (this application, on whatever port it got)
	 * @return the upstream's answer
	 */
	@GetExchange
	Mono<String> hello(URI url);

}
