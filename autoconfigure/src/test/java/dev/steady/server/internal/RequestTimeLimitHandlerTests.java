package dev.steady.server.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler on a Netty channel with the real HTTP/1.1 codec and a frozen clock that the
 * test moves: header 1 s, read 2 s, request 5 s, idle 3 s, late body 4 s. Each test runs in
 * milliseconds.
 */
class RequestTimeLimitHandlerTests {

	private static final RequestDeadlines.Limits LIMITS = new RequestDeadlines.Limits(ms(1000), ms(2000), ms(5000),
			ms(3000), ms(4000));

	private final AtomicLong clock = new AtomicLong();

	private final List<Throwable> failures = new ArrayList<>();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	RequestTimeLimitHandlerTests() {
		this.channel.freezeTime();
		this.channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		this.channel.pipeline().addLast(new ApplicationStandIn());
		RequestTimeLimitHandler.install(this.channel.pipeline(), LIMITS, this.clock::get);
	}

	@AfterEach
	void closeChannel() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void headersIncompleteAtTheHeaderTimeoutAreAnsweredRequestTimeoutAndClosed() {
		send("GET / HTTP/1.1\r\nHost: x\r\n");
		advance(999);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);
		assertThat(writtenText()).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("connection: close");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void bodyThatPausesLongerThanTheReadTimeoutFailsTheRequestAndCloses() {
		send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
		advance(1999);
		assertThat(this.failures).isEmpty();
		advance(1);
		assertThat(this.failures).containsExactly(RequestBodyTimeoutException.READ_TIMEOUT);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void bodyThatTricklesFailsTheRequestAtTheRequestTimeout() {
		send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
		for (int i = 0; i < 5; i++) {
			advance(999);
			send("x");
		}
		advance(5);
		assertThat(this.failures).containsExactly(RequestBodyTimeoutException.REQUEST_TIMEOUT);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void idleKeepAliveConnectionIsClosedAtTheIdleTimeoutAfterItsResponse() {
		send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		respond();
		advance(2999);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(writtenText()).doesNotContain("408");
	}

	@Test
	void manyQuickRequestsOnOneConnectionAreNeverCutOff() {
		for (int i = 0; i < 1000; i++) {
			send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			respond();
			advance(900);
		}
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.failures).isEmpty();
	}

	@Test
	void laterRequestsHeadersAreTimedFromTheirFirstByte() {
		send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
		respond();
		writtenText();
		advance(2500);
		send("GET / HTTP/1.1\r\n");
		advance(999);
		assertThat(this.channel.isOpen()).isTrue();
		advance(1);
		assertThat(writtenText()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
		assertThat(this.channel.isOpen()).isFalse();
	}

	private void send(String text) {
		this.channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
	}

	private void respond() {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		this.channel.writeOutbound(response);
	}

	/** Moves the handler's clock and the channel's scheduler together, then runs what is due. */
	private void advance(long millis) {
		this.clock.addAndGet(ms(millis));
		this.channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
	}

	private String writtenText() {
		StringBuilder text = new StringBuilder();
		for (Object message = this.channel.readOutbound(); message != null; message = this.channel.readOutbound()) {
			text.append(((ByteBuf) message).toString(StandardCharsets.US_ASCII));
			ReferenceCountUtil.release(message);
		}
		return text.toString();
	}

	private static long ms(long millis) {
		return millis * 1_000_000;
	}

	/** Releases decoded requests and records the failures that reach the application. */
	private final class ApplicationStandIn extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpObject) {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			RequestTimeLimitHandlerTests.this.failures.add(cause);
		}

	}

}
