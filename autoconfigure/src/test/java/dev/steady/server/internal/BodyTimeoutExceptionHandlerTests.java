package dev.steady.server.internal;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class BodyTimeoutExceptionHandlerTests {

	private final BodyTimeoutExceptionHandler handler = new BodyTimeoutExceptionHandler();

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/upload"));

	@Test
	void bodyReadTimeoutIsAnsweredWithRequestTimeout() {
		this.handler.handle(this.exchange, ReadTimeoutException.INSTANCE).block(Duration.ofSeconds(10));
		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
	}

	@Test
	void steadysBodyTimeoutsAreAnsweredWithRequestTimeout() {
		this.handler.handle(this.exchange, RequestBodyTimeoutException.READ_TIMEOUT).block(Duration.ofSeconds(10));
		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
		MockServerWebExchange another = MockServerWebExchange.from(MockServerHttpRequest.post("/upload"));
		this.handler.handle(another, RequestBodyTimeoutException.REQUEST_TIMEOUT).block(Duration.ofSeconds(10));
		assertThat(another.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
	}

	@Test
	void reactorNettysRequestTimeoutIsAnsweredWithRequestTimeout() throws Exception {
		this.handler.handle(this.exchange, reactorNettyRequestTimeout()).block(Duration.ofSeconds(10));
		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
	}

	@Test
	void readTimeoutOfAWebClientCallIsLeftToOtherHandlers() {
		Exception clientTimeout = new WebClientRequestException(ReadTimeoutException.INSTANCE, HttpMethod.GET,
				URI.create("http://upstream"), new HttpHeaders());
		Mono<Void> handled = this.handler.handle(this.exchange, clientTimeout);
		assertThatException().isThrownBy(() -> handled.block(Duration.ofSeconds(10))).isSameAs(clientTimeout);
		assertThat(this.exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void runsBeforeSpringBootsErrorHandler() {
		assertThat(this.handler.getOrder()).isLessThan(-1);
	}

	/** Reactor Netty's own instance; its type is package-private. */
	private static Exception reactorNettyRequestTimeout() throws Exception {
		Class<?> type = Class.forName("reactor.netty.http.server.RequestTimeoutException");
		Method factory = type.getDeclaredMethod("requestTimedOut");
		factory.setAccessible(true);
		return (Exception) factory.invoke(null);
	}

}
