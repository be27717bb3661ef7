package dev.steady.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.autoconfigure.health.internal.ClientPoolState;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.internal.ProvenIdle;
import dev.steady.testserver.Burst;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real nginx (started by {@code .ci/interop.sh}, on its port with {@code keepalive_timeout 60s},
 * so that no idle timeout closes a connection first, however slow the machine) reloaded while
 * Steady's client holds idle keep-alive connections to it, some idle far longer than others:
 * its old worker closes them all at once, which Steady's client must not take for nginx's idle
 * timeout. The first close may teach for a moment, and the pool may then close some of the
 * rest itself, before nginx does: what counts is what is learned once every connection is gone.
 * <p>
 * The reload tells itself from an idle timeout only if the connections idle longest had been
 * idle more than twice as long as those used last: the gap between the two bursts has to
 * outlast the last burst, the reload and noticing its closes, which on a loaded machine (nginx
 * reads its TLS certificates and forks new workers first) take far more than a second.
 */
class NginxReloadInteropTests {

	/** nginx's port whose idle connections stay for 60 s: no idle timeout may close one before the reload. */
	private static final String NGINX = System.getProperty("steady.interop.nginx-reload-url",
			"http://127.0.0.1:18081");

	private static final String PID_FILE = System.getProperty("steady.interop.nginx-pid-file");

	private static final int FIRST_BURST = 10;

	/** Between the bursts: far longer than the second burst and the reload take, however slow the machine. */
	private static final Duration GAP = Duration.ofSeconds(4);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyPoolStateAutoConfiguration.class))
		// no connection may reach its idle limit before the reload; the pool notices closed ones within 2 s
		.withPropertyValues("steady.client-defaults.pool.max-idle-time=30s",
				"steady.client-defaults.pool.eviction-interval=2s");

	@Test
	void reloadClosingIdleConnectionsAtOnceLowersNoLimit() {
		assertThat(PID_FILE).as("nginx's pid file, -Dsteady.interop.nginx-pid-file (set by .ci/interop.sh)")
			.isNotNull();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
			// a connection per request, then a few of them used again: the rest stay idle longer
			assertThat(Burst.fire(client, HttpMethod.GET, NGINX + "/", FIRST_BURST)).isEmpty();
			Mono.delay(GAP).block();
			assertThat(Burst.fire(client, HttpMethod.GET, NGINX + "/", 3)).isEmpty();
			Mono.delay(Duration.ofMillis(50)).block();
			reloadNginx();
			PoolStateRegistry pools = context.getBean(PoolStateRegistry.class);
			// closed by nginx's old worker, or evicted by the pool once the first close taught a limit
			await().atMost(Duration.ofSeconds(30)).until(() -> openConnections(pools) == 0);
			assertThat(idleCloses(learned)).as("idle connections nginx closed at once").isGreaterThanOrEqualTo(2);
			assertThat(learned.of("default")).as("idle limits learned from nginx's reload").isEmpty();
		});
	}

	/** What {@code nginx -s reload} does: its old workers close their idle keep-alive connections. */
	private static void reloadNginx() throws IOException, InterruptedException {
		String pid = Files.readString(Path.of(PID_FILE)).trim();
		Process kill = new ProcessBuilder("kill", "-HUP", pid).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -HUP " + pid).isZero();
	}

	private static int openConnections(PoolStateRegistry pools) {
		ClientPoolState client = pools.client("default");
		assertThat(client).as("pool state of the default client").isNotNull();
		return client.snapshots().stream().mapToInt((pool) -> pool.acquired() + pool.idle()).sum();
	}

	private static long idleCloses(LearnedIdleTimeouts learned) {
		return learned.provenOf("default").values().stream().mapToLong(ProvenIdle::idleCloses).sum();
	}

}
