package dev.steady.sample;

import java.util.Map;

import dev.steady.server.ConnectionLimiter;
import dev.steady.server.ServerConnectionSettings;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows Steady's server side: {@code /demo/server} the effective connection settings and
 * live connection counts, {@code /demo/upload} a request body read under the read and
 * request timeouts (a slow uploader is cut off, a normal one is answered).
 */
@RestController
class ServerDemoController {

	private final ServerConnectionSettings settings;

	private final ConnectionLimiter connectionLimiter;

	ServerDemoController(ServerConnectionSettings settings, ConnectionLimiter connectionLimiter) {
		this.settings = settings;
		this.connectionLimiter = connectionLimiter;
	}

	@GetMapping("/demo/server")
	Map<String, Object> server() {
		return Map.of("requestHeaderTimeout", this.settings.requestHeaderTimeout().toString(), "idleTimeout",
				this.settings.idleTimeout().toString(), "readTimeout", this.settings.readTimeout().toString(),
				"maxConnections", this.connectionLimiter.maxConnections(), "openConnections",
				this.connectionLimiter.openConnections(), "refusedConnections",
				this.connectionLimiter.refusedConnections());
	}

	@PostMapping("/demo/upload")
	Mono<Map<String, Object>> upload(@RequestBody Mono<String> body) {
		return body.defaultIfEmpty("").map((text) -> Map.of("receivedBytes", text.length()));
	}

}
