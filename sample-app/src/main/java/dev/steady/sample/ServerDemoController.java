package dev.steady.sample;

import java.util.Map;

import dev.steady.server.internal.ConnectionLimiter;
import dev.steady.server.internal.ServerConnectionSettings;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows Steady's server side: {@code /demo/server} the effective connection settings and
 * live connection counts (or that {@code steady.server.enabled=false}), {@code /demo/upload}
 * a request body read under the read and request timeouts (a slow uploader is cut off, a
 * normal one is answered).
 */
@RestController
class ServerDemoController {

	private final ObjectProvider<ServerConnectionSettings> settings;

	private final ObjectProvider<ConnectionLimiter> connectionLimiter;

	ServerDemoController(ObjectProvider<ServerConnectionSettings> settings,
			ObjectProvider<ConnectionLimiter> connectionLimiter) {
		this.settings = settings;
		this.connectionLimiter = connectionLimiter;
	}

	@GetMapping("/demo/server")
	Map<String, Object> server() {
		ServerConnectionSettings settings = this.settings.getIfAvailable();
		ConnectionLimiter limiter = this.connectionLimiter.getIfAvailable();
		if (settings == null || limiter == null) {
			return Map.of("enabled", false);
		}
		return Map.of("enabled", true, "requestHeaderTimeout", settings.requestHeaderTimeout().toString(),
				"idleTimeout", settings.idleTimeout().toString(), "readTimeout", settings.readTimeout().toString(),
				"maxConnections", limiter.maxConnections(), "openConnections", limiter.openConnections(),
				"refusedConnections", limiter.refusedConnections());
	}

	@PostMapping("/demo/upload")
	Mono<Map<String, Object>> upload(@RequestBody Mono<String> body) {
		return body.defaultIfEmpty("").map((text) -> Map.of("receivedBytes", text.length()));
	}

}
