package dev.steady.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the whole sample application on a random port and talks to it over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class SampleApplicationTests {

	@Autowired
	private WebTestClient http;

	@LocalServerPort
	private int port;

	@Test
	void healthIsUp() {
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
	}

	@Test
	void defaultClientCallsTheUpstream() {
		this.http.get().uri("/demo/hello").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.upstreamSaid").value((String body) -> assertThat(body)
				.contains("hello from the upstream"));
	}

	@Test
	void httpServiceGroupCallsTheUpstream() {
		this.http.get().uri("/demo/inventory").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.client").isEqualTo("inventory");
	}

	@Test
	void h2cClientSpeaksHttp2AndShowsItsHttp2Pool() {
		this.http.get().uri("/demo/h2c").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.upstreamSaid").value((String body) -> assertThat(body).contains("HTTP/2.0"));
		String host = "['localhost:" + this.port + "']";
		this.http.get().uri("/actuator/steady/h2c").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.pools" + host + ".http2.maxConnections").isEqualTo(2)
			.jsonPath("$.settings['protocols'].value[0]").isEqualTo("h2c");
	}

	@Test
	void restClientServiceGroupCallsTheUpstream() {
		this.http.get().uri("/demo/legacy").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.client").isEqualTo("legacy")
			.jsonPath("$.upstreamSaid").value((String body) -> assertThat(body).contains("hello from the upstream"));
	}

	@Test
	void restClientServiceGroupShowsInHealthAndTheEndpoint() {
		this.http.get().uri("/demo/legacy").exchange().expectStatus().isOk();
		String host = "['localhost:" + this.port + "']";
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.steady.components.legacy.details.pool").isEqualTo("steady-legacy")
			.jsonPath("$.components.steady.components.legacy.details.hosts" + host + ".maxConnections").isEqualTo(20);
		this.http.get().uri("/actuator/steady/legacy").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.settings['response-timeout'].value").isEqualTo("PT3S")
			.jsonPath("$.settings['response-timeout'].source").isEqualTo("steady.clients.legacy.response-timeout")
			.jsonPath("$.retry.instance").isEqualTo("steady-legacy");
	}

	@Test
	void clientsShowTheirEffectiveSettings() {
		this.http.get().uri("/demo/clients").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.inventory.maxConnections").isEqualTo(50)
			.jsonPath("$.inventory.responseTimeout").isEqualTo("PT2S")
			.jsonPath("$.payments.maxIdleTime").isEqualTo("PT2S")
			.jsonPath("$.payments.baseUrl").isEqualTo("https://payments.example.com")
			.jsonPath("$.inventory.baseUrl").doesNotExist()
			.jsonPath("$.default").doesNotExist();
	}

	@Test
	void healthShowsEachClientsPoolPerRemoteHost() {
		this.http.get().uri("/demo/hello").exchange().expectStatus().isOk();
		this.http.get().uri("/demo/inventory").exchange().expectStatus().isOk();
		String host = "['localhost:" + this.port + "']";
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.steady.status").isEqualTo("UP")
			.jsonPath("$.components.steady.components.default.details.pool").isEqualTo("steady-default")
			.jsonPath("$.components.steady.components.default.details.hosts" + host + ".maxConnections").isEqualTo(200)
			.jsonPath("$.components.steady.components.default.details.hosts" + host + ".maxIdleTime").isEqualTo("PT4S")
			.jsonPath("$.components.steady.components.inventory.details.hosts" + host + ".maxConnections").isEqualTo(50)
			.jsonPath("$.components.steady.components.inventory.details.hosts" + host + ".suspectedLeaks").isEqualTo(0)
			.jsonPath("$.components.steady.components.payments.status").isEqualTo("UP");
	}

	@Test
	void steadyEndpointShowsEffectiveSettingsWithTheirSource() {
		this.http.get().uri("/demo/inventory").exchange().expectStatus().isOk();
		this.http.get().uri("/actuator/steady/inventory").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.settings['response-timeout'].value").isEqualTo("PT2S")
			.jsonPath("$.settings['response-timeout'].source").isEqualTo("steady.clients.inventory.response-timeout")
			.jsonPath("$.settings['pool.max-idle-time'].source").isEqualTo("steady.client-defaults.pool.max-idle-time")
			.jsonPath("$.settings['ssl.handshake-timeout'].source").isEqualTo("default")
			.jsonPath("$.pools['localhost:" + this.port + "'].maxConnections").isEqualTo(50)
			.jsonPath("$.retry.instance").isEqualTo("steady-inventory")
			.jsonPath("$.retry.successfulWithoutRetry").isNumber();
		this.http.get().uri("/actuator/steady").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.clients.payments.hostOverrides['payments.example.com:443']['max-connections'].value")
			.isEqualTo(20);
	}

	@Test
	void serverShowsItsConnectionSettings() {
		this.http.get().uri("/demo/server").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.requestHeaderTimeout").isEqualTo("PT10S")
			.jsonPath("$.refusedConnections").isEqualTo(0);
	}

	@Test
	void uploadIsReadUnderTheBodyTimeouts() {
		this.http.post().uri("/demo/upload").bodyValue("twelve bytes").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.receivedBytes").isEqualTo(12);
	}

}
