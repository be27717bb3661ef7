package dev.steady.server.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.testserver.RawHttpConnection;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection cap of a started server, over raw sockets: beyond max-connections a new
 * connection is closed at once and counted, while the admitted ones are served.
 */
class ConnectionCapTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner()
		.withPropertyValues("steady.server.max-connections=50", "steady.server.request-header-timeout=60s");

	@Test
	void connectionBeyondTheCapIsClosedAndCountedWhileTheAdmittedOnesAreServed() {
		this.contextRunner.run((context) -> {
			int port = StartedServer.port(context);
			ConnectionLimiter limiter = context.getBean(ConnectionLimiter.class);
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MeterBinder.class).bindTo(registry);
			List<RawHttpConnection> admitted = new ArrayList<>();
			try {
				for (int i = 0; i < 50; i++) {
					admitted.add(RawHttpConnection.open(port));
				}
				Awaitility.await().atMost(CEILING).until(() -> limiter.openConnections() == 50);
				try (RawHttpConnection refused = RawHttpConnection.open(port)) {
					refused.awaitClosedByServer();
				}
				assertThat(limiter.refusedConnections()).isEqualTo(1);
				assertThat(registry.get("steady.server.connections.refused").functionCounter().count()).isEqualTo(1);
				for (RawHttpConnection connection : admitted) {
					assertThat(connection.get().body()).isEqualTo("hello");
				}
			}
			finally {
				admitted.forEach(RawHttpConnection::close);
			}
		});
	}

}
