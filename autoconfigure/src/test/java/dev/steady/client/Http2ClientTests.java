package dev.steady.client;

import java.time.Duration;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.testserver.GoAwayServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A Steady client speaking h2c to a real HTTP/2 server that ends a connection with a GOAWAY
 * refusing the stream of a POST without an idempotency key: the server never processed it,
 * so it is sent again, and executed once.
 */
class Http2ClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class))
		.withPropertyValues("steady.clients.h2c.protocols=h2c");

	private final GoAwayServer server = new GoAwayServer();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void postRefusedByGoAwayIsSentAgainAndExecutedOnce() {
		this.contextRunner.withPropertyValues("steady.clients.h2c.base-url=" + this.server.url()).run((context) -> {
			WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
			String body = client.post().bodyValue("order").retrieve().bodyToMono(String.class).block(TIMEOUT);
			assertThat(body).isEqualTo("ok");
			assertThat(this.server.refused()).as("streams refused by GOAWAY").isEqualTo(1);
			assertThat(this.server.executed()).as("executions").isEqualTo(1);
			assertThat(this.server.connections()).as("connections").isEqualTo(2);
		});
	}

	@Test
	void bareH2cClientLosesThePostTheServerRefused() {
		WebClient bare = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create().protocol(HttpProtocol.H2C)))
			.build();
		assertThatException()
			.isThrownBy(() -> bare.post().uri(this.server.url()).bodyValue("order").retrieve().bodyToMono(String.class)
				.block(TIMEOUT));
		assertThat(this.server.refused()).isEqualTo(1);
		assertThat(this.server.executed()).isZero();
	}

}
