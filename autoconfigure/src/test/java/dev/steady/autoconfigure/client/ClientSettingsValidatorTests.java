package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ClientSettingsValidator}: a bad value names the key that set it, and
 * valid settings, checked at every start, never search for the keys.
 */
class ClientSettingsValidatorTests {

	private final List<String> looked = new ArrayList<>();

	private final UnaryOperator<String> names = (key) -> {
		this.looked.add(key);
		return "steady.clients.inventory." + key;
	};

	@Test
	void validSettingsAreCheckedWithoutLookingUpAnyPropertyName() {
		ClientSettingsValidator.validate(this.names, new ClientProperties());
		assertThat(this.looked).isEmpty();
	}

	@Test
	void badValueFailsNamingTheKeyThatSetIt() {
		ClientProperties properties = new ClientProperties();
		properties.getPool().setMaxIdleTime(Duration.ZERO);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClientSettingsValidator.validate(this.names, properties))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("steady.clients.inventory.pool.max-idle-time");
				assertThat(ex.getValue()).isEqualTo(Duration.ZERO);
			})
			.withMessageContaining("positive duration");
		assertThat(this.looked).containsExactly("pool.max-idle-time");
	}

	@Test
	void http2StreamLimitBelowOneFailsNamingItsKey() {
		ClientProperties properties = new ClientProperties();
		properties.getHttp2().setMaxConcurrentStreams(0L);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClientSettingsValidator.validate(this.names, properties))
			.satisfies((ex) -> assertThat(ex.getName())
				.isEqualTo("steady.clients.inventory.http2.max-concurrent-streams"))
			.withMessageContaining("as many as the peer allows");
	}

	@Test
	void pingSettingsOutOfRangeFailNamingTheirKeys() {
		ClientProperties zeroTimeout = new ClientProperties();
		zeroTimeout.getHttp2().setPingAckTimeout(Duration.ZERO);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClientSettingsValidator.validate(this.names, zeroTimeout))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("steady.clients.inventory.http2.ping-ack-timeout"));
		ClientProperties noThreshold = new ClientProperties();
		noThreshold.getHttp2().setPingAckDropThreshold(0);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClientSettingsValidator.validate(this.names, noThreshold))
			.satisfies((ex) -> assertThat(ex.getName())
				.isEqualTo("steady.clients.inventory.http2.ping-ack-drop-threshold"))
			.withMessageContaining("1 or more");
	}

	@Test
	void noProtocolFailsNamingTheKey() {
		ClientProperties properties = new ClientProperties();
		properties.setProtocols(List.of());
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ClientSettingsValidator.validate(this.names, properties))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("steady.clients.inventory.protocols"))
			.withMessageContaining("http11, h2, h2c");
	}

}
