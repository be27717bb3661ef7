package dev.steady.server.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.steady.testserver.Burst;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Steady client against a Steady server that closes idle connections after 2 s and says
 * so in {@code Keep-Alive: timeout=2}: the client, with its default 4 s max-idle-time,
 * closes them after 1 s (the hint less the 1 s margin), before the server does. Retry is
 * off, so only eviction protects the requests.
 */
class SteadyClientAgainstSteadyServerTests {

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withUserConfiguration(CloseCounting.class)
		.withPropertyValues("steady.server.idle-timeout=2s", "steady.client.retry.enabled=false");

	@Test
	void burstsPacedJustBelowTheServersIdleTimeoutNeverFail() {
		// only the hint protects: no proven-idle gate, and eviction often enough to act on it
		this.contextRunner
			.withPropertyValues("steady.client.pool.reuse-proven-idle-only=false",
					"steady.client.pool.eviction-interval=100ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				ConnectionLimiter server = context.getBean(ConnectionLimiter.class);
				CloseCounter closes = context.getBean(CloseCounter.class);
				String url = "http://127.0.0.1:" + StartedServer.port(context) + "/";
				List<Integer> failures = new ArrayList<>();
				for (int burst = 0; burst < 4; burst++) {
					if (burst > 0) {
						// the pause is the scenario: just under the server's 2 s idle timeout
						Mono.delay(Duration.ofMillis(1900)).block();
					}
					failures.add(Burst.fire(client, HttpMethod.POST, url, 100).size());
				}
				assertThat(failures).containsOnly(0);
				// with its 4 s max-idle-time, a client ignoring the hint leaves the server to close at 2 s
				await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 0);
				assertThat(closes.closedByServer()).as("idle connections the server had to close").isZero();
			});
	}

	@Test
	void theClientClosesIdleConnectionsBeforeTheServerHasTo() {
		this.contextRunner.withPropertyValues("steady.client.pool.eviction-interval=100ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			ConnectionLimiter server = context.getBean(ConnectionLimiter.class);
			CloseCounter closes = context.getBean(CloseCounter.class);
			assertThat(Burst.fire(client, HttpMethod.GET, "http://127.0.0.1:" + StartedServer.port(context) + "/", 20))
				.isEmpty();
			await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 0);
			assertThat(closes.closedConnections()).isPositive();
			assertThat(closes.closedByServer()).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CloseCounting {

		@Bean
		CloseCounter closeCounter() {
			return new CloseCounter();
		}

		@Bean
		NettyServerCustomizer closeCountingCustomizer(CloseCounter counter) {
			return (server) -> server.doOnChannelInit(
					(observer, channel, remoteAddress) -> channel.pipeline().addFirst("closeCounter", counter));
		}

	}

	/**
	 * Counts the server's connections that ended, and those of them the server closed itself
	 * (a close requested from its side of the pipeline) rather than seeing the client close.
	 */
	@Sharable
	static final class CloseCounter extends ChannelDuplexHandler {

		private final AtomicInteger closed = new AtomicInteger();

		private final AtomicInteger closedByServer = new AtomicInteger();

		@Override
		public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
			if (ctx.channel().isActive()) {
				this.closedByServer.incrementAndGet();
			}
			super.close(ctx, promise);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			this.closed.incrementAndGet();
			super.channelInactive(ctx);
		}

		int closedConnections() {
			return this.closed.get();
		}

		int closedByServer() {
			return this.closedByServer.get();
		}

	}

}
