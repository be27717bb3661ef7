package dev.steady.client.internal;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTests {

	@Test
	void closedBeforeResponseIsAStaleConnection() {
		assertThat(classifyWrapped(prematureClose("Connection prematurely closed BEFORE response")))
			.isEqualTo(FailureCause.STALE_CONNECTION);
		assertThat(classifyWrapped(
				prematureClose("Connection has been closed BEFORE response, while sending request body")))
			.isEqualTo(FailureCause.STALE_CONNECTION);
	}

	@Test
	void resetOrBrokenPipeIsAStaleConnection() {
		assertThat(classifyWrapped(new IOException("Connection reset by peer"))).isEqualTo(FailureCause.STALE_CONNECTION);
		assertThat(classifyWrapped(new IOException("Broken pipe"))).isEqualTo(FailureCause.STALE_CONNECTION);
		assertThat(classifyWrapped(new ClosedChannelException())).isEqualTo(FailureCause.STALE_CONNECTION);
	}

	@Test
	void closedDuringResponseIsABrokenResponse() {
		assertThat(classifyWrapped(prematureClose("Connection prematurely closed DURING response")))
			.isEqualTo(FailureCause.RESPONSE_BROKEN);
	}

	@Test
	void closedBeforeSendOrConnectFailuresAreNotSent() {
		assertThat(classifyWrapped(AbortedException.beforeSend())).isEqualTo(FailureCause.NOT_SENT);
		assertThat(classifyWrapped(new ConnectException("Connection refused"))).isEqualTo(FailureCause.NOT_SENT);
		assertThat(classifyWrapped(new ConnectTimeoutException("connection timed out"))).isEqualTo(FailureCause.NOT_SENT);
	}

	@Test
	void timeoutsAreTimeouts() {
		assertThat(classifyWrapped(ReadTimeoutException.INSTANCE)).isEqualTo(FailureCause.TIMEOUT);
		assertThat(classifyWrapped(new TimeoutException("no response"))).isEqualTo(FailureCause.TIMEOUT);
	}

	@Test
	void reactorNettysShadedPoolExceptionsArePoolExhaustion() {
		assertThat(classifyWrapped(new PoolAcquirePendingLimitException(100))).isEqualTo(FailureCause.POOL_EXHAUSTED);
		assertThat(classifyWrapped(new PoolAcquireTimeoutException(Duration.ofSeconds(1))))
			.isEqualTo(FailureCause.POOL_EXHAUSTED);
	}

	@Test
	void poolExhaustionWinsOverTheWrapperItSitsIn() {
		RuntimeException explained = new RuntimeException("raise the pool",
				new PoolAcquirePendingLimitException(100));
		assertThat(classifyWrapped(explained)).isEqualTo(FailureCause.POOL_EXHAUSTED);
	}

	@Test
	void anythingElseIsOther() {
		assertThat(classifyWrapped(new IllegalStateException("boom"))).isEqualTo(FailureCause.OTHER);
		assertThat(FailureClassifier.classify(new IOException((String) null))).isEqualTo(FailureCause.OTHER);
	}

	/** Reactor Netty's own exception, whose message-taking constructor is package-private. */
	private static PrematureCloseException prematureClose(String message) {
		try {
			Constructor<PrematureCloseException> constructor = PrematureCloseException.class
				.getDeclaredConstructor(String.class);
			constructor.setAccessible(true);
			return constructor.newInstance(message);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static FailureCause classifyWrapped(Throwable cause) {
		return FailureClassifier.classify(
				new WebClientRequestException(cause, HttpMethod.GET, URI.create("http://example.com"), new HttpHeaders()));
	}

}
