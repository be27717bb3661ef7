package dev.steady.sample;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceGroup.ClientType;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Calls back into this application through Steady's clients: {@code /demo/hello} through
 * the client behind Boot's {@code WebClient.Builder}, {@code /demo/inventory} through the
 * HTTP service group "inventory" ({@link InventoryApi}), {@code /demo/h2c} through the named
 * client "h2c", which speaks HTTP/2 without TLS, and {@code /demo/clients} shows each client's
 * effective pool.
 */
@RestController
@ImportHttpServices(group = "inventory", types = InventoryApi.class, clientType = ClientType.WEB_CLIENT)
class DemoController {

	private final WebClient webClient;

	private final InventoryApi inventory;

	private final SteadyClients clients;

	DemoController(WebClient.Builder webClientBuilder, InventoryApi inventory, SteadyClients clients) {
		this.webClient = webClientBuilder.build();
		this.inventory = inventory;
		this.clients = clients;
	}

	@GetMapping("/upstream/hello")
	Map<String, String> upstreamHello() {
		return Map.of("message", "hello from the upstream");
	}

	@GetMapping("/demo/hello")
	Mono<Map<String, Object>> hello(ServerHttpRequest request) {
		return this.webClient.get()
			.uri(self(request, "/upstream/hello"))
			.retrieve()
			.bodyToMono(String.class)
			.map((body) -> Map.of("client", "default (Boot's WebClient.Builder)", "upstreamSaid", body));
	}

	@GetMapping("/demo/inventory")
	Mono<Map<String, Object>> inventory(ServerHttpRequest request) {
		return this.inventory.hello(self(request, "/upstream/hello"))
			.map((body) -> Map.of("client", "inventory", "upstreamSaid", body));
	}

	/** Answers which protocol the request came over: {@code HTTP/2.0} for h2c. */
	@GetMapping("/upstream/protocol")
	Map<String, String> upstreamProtocol(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		String protocol = (nativeRequest instanceof HttpServerRequest reactorRequest) ? reactorRequest.protocol()
				: "unknown";
		return Map.of("protocol", protocol);
	}

	@GetMapping("/demo/h2c")
	Mono<Map<String, Object>> h2c(ServerHttpRequest request) {
		return this.clients.webClient("h2c")
			.get()
			.uri(self(request, "/upstream/protocol"))
			.retrieve()
			.bodyToMono(String.class)
			.map((body) -> Map.of("client", "h2c", "upstreamSaid", body));
	}

	@GetMapping("/demo/clients")
	Map<String, Object> clients() {
		return this.clients.names()
			.stream()
			.collect(Collectors.toMap((name) -> name, (name) -> describe(this.clients.settings(name))));
	}

	private static Map<String, Object> describe(ResolvedClient client) {
		var settings = client.settings();
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("pool", client.poolName());
		description.put("maxConnections", settings.pool().maxConnections());
		description.put("maxIdleTime", settings.pool().maxIdleTime().toString());
		description.put("responseTimeout", settings.responseTimeout().toString());
		if (client.baseUrl() != null) {
			description.put("baseUrl", client.baseUrl());
		}
		return description;
	}

	private static URI self(ServerHttpRequest request, String path) {
		return URI.create(request.getURI().getScheme() + "://localhost:" + request.getURI().getPort() + path);
	}

}
