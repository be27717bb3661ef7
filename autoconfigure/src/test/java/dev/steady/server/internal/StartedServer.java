package dev.steady.server.internal;

import java.nio.charset.StandardCharsets;

import dev.steady.autoconfigure.server.SteadyServerAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * A real Reactor Netty server with Steady's server auto-configuration, started on a free
 * loopback port by the context runner and stopped with its context. Its handler runs
 * behind the context's {@code WebExceptionHandler} beans, as in a WebFlux application; it
 * answers a GET with {@code hello}, a POST with the number of body bytes it read, anything
 * sent to {@code /early} at once, without reading the body, and a GET of
 * {@code /connection-headers} with HTTP/1.1's connection-specific headers set by the
 * application.
 */
final class StartedServer {

	private StartedServer() {
	}

	static ReactiveWebApplicationContextRunner runner() {
		return new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
					SteadyServerAutoConfiguration.class))
			.withUserConfiguration(EchoHandlerConfiguration.class)
			.withPropertyValues("server.port=0", "server.address=127.0.0.1");
	}

	static int port(AssertableReactiveWebApplicationContext context) {
		return ((WebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoHandlerConfiguration {

		@Bean
		HttpHandler httpHandler(ObjectProvider<WebExceptionHandler> exceptionHandlers) {
			return WebHttpHandlerBuilder.webHandler(EchoHandlerConfiguration::handle)
				.exceptionHandlers((handlers) -> handlers.addAll(exceptionHandlers.orderedStream().toList()))
				.build();
		}

		private static Mono<Void> handle(ServerWebExchange exchange) {
			ServerHttpRequest request = exchange.getRequest();
			ServerHttpResponse response = exchange.getResponse();
			if (request.getPath().value().equals("/early")) {
				return write(response, "answered before reading the body");
			}
			if (request.getPath().value().equals("/connection-headers")) {
				response.getHeaders().set("Connection", "keep-alive");
				response.getHeaders().set("Keep-Alive", "timeout=5");
				response.getHeaders().set("Proxy-Connection", "keep-alive");
			}
			if (HttpMethod.POST.equals(request.getMethod())) {
				return DataBufferUtils.join(request.getBody()).flatMap((body) -> {
					int length = body.readableByteCount();
					DataBufferUtils.release(body);
					return write(response, "read " + length + " bytes");
				});
			}
			return write(response, "hello");
		}

		private static Mono<Void> write(ServerHttpResponse response, String text) {
			byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
			response.getHeaders().setContentLength(bytes.length);
			return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
		}

	}

}
