package dev.steady.server.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time limits of one connection, driven by a clock in milliseconds (converted to the
 * nanoseconds the deadlines count in): header 1 s, read 2 s, request 5 s, idle 3 s, the
 * rest of a body after an early response 4 s.
 */
class RequestDeadlinesTests {

	private static final RequestDeadlines.Limits LIMITS = new RequestDeadlines.Limits(ms(1000), ms(2000), ms(5000),
			ms(3000), ms(4000));

	private final RequestDeadlines deadlines = new RequestDeadlines(LIMITS, ms(0));

	@Test
	void firstRequestsHeadersMustBeCompleteWithinTheHeaderTimeoutOfAccept() {
		assertThat(this.deadlines.nanosUntilExpiry(ms(999))).isEqualTo(ms(1));
		assertThat(this.deadlines.nanosUntilExpiry(ms(1000))).isZero();
		assertThat(this.deadlines.expire(ms(1000))).isEqualTo(RequestDeadlines.Expiry.ANSWER_REQUEST_TIMEOUT);
		assertThat(this.deadlines.expired()).isTrue();
		assertThat(this.deadlines.nanosUntilExpiry(ms(1000))).isEqualTo(RequestDeadlines.UNLIMITED);
	}

	@Test
	void completeHeadersEndTheHeaderTimeoutAndStartTheBodyLimits() {
		this.deadlines.headersComplete(ms(900));
		assertThat(this.deadlines.nanosUntilExpiry(ms(1900))).isEqualTo(ms(1000));
	}

	@Test
	void bodyThatPausesLongerThanTheReadTimeoutFailsWithTheReadTimeout() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.bodyRead(ms(1500));
		assertThat(this.deadlines.nanosUntilExpiry(ms(3499))).isEqualTo(ms(1));
		assertThat(this.deadlines.nanosUntilExpiry(ms(3500))).isZero();
		assertThat(this.deadlines.expire(ms(3500))).isEqualTo(RequestDeadlines.Expiry.BODY_READ_TIMEOUT);
	}

	@Test
	void bodyThatTricklesFailsWithTheRequestTimeoutOfItsHeaders() {
		this.deadlines.headersComplete(ms(100));
		for (int at = 1100; at <= 5100; at += 1000) {
			this.deadlines.bodyRead(ms(at));
		}
		assertThat(this.deadlines.nanosUntilExpiry(ms(5099))).isEqualTo(ms(1));
		assertThat(this.deadlines.expire(ms(5100))).isEqualTo(RequestDeadlines.Expiry.BODY_REQUEST_TIMEOUT);
	}

	@Test
	void restOfABodyAfterAnEarlyResponseMustArriveWithinTheLateBodyLimitOfTheResponse() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.responseComplete(ms(4500));
		this.deadlines.bodyRead(ms(6000));
		assertThat(this.deadlines.nanosUntilExpiry(ms(8499))).isEqualTo(ms(1));
		assertThat(this.deadlines.expire(ms(8500))).isEqualTo(RequestDeadlines.Expiry.CLOSE);
	}

	@Test
	void requestWaitingForItsResponseHasNoLimit() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.bodyComplete(ms(10));
		assertThat(this.deadlines.nanosUntilExpiry(ms(600_000))).isEqualTo(RequestDeadlines.UNLIMITED);
	}

	@Test
	void keepAliveConnectionMayWaitTheIdleTimeoutAfterItsLastResponse() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.bodyComplete(ms(0));
		this.deadlines.responseComplete(ms(700));
		assertThat(this.deadlines.nanosUntilExpiry(ms(3699))).isEqualTo(ms(1));
		assertThat(this.deadlines.expire(ms(3700))).isEqualTo(RequestDeadlines.Expiry.CLOSE);
	}

	@Test
	void laterRequestIsTimedFromItsFirstByteNotFromTheIdleWaitBeforeIt() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.bodyComplete(ms(0));
		this.deadlines.responseComplete(ms(0));
		assertThat(this.deadlines.awaitingNextRequest()).isTrue();
		this.deadlines.bytesArrived(ms(2500));
		assertThat(this.deadlines.awaitingNextRequest()).isFalse();
		this.deadlines.bytesArrived(ms(3000));
		assertThat(this.deadlines.nanosUntilExpiry(ms(3499))).isEqualTo(ms(1));
		assertThat(this.deadlines.expire(ms(3500))).isEqualTo(RequestDeadlines.Expiry.ANSWER_REQUEST_TIMEOUT);
	}

	@Test
	void slowPipelinedHeadersAreClosedWithoutAnAnswerWhileAResponseIsOwed() {
		this.deadlines.headersComplete(ms(0));
		this.deadlines.bodyComplete(ms(0));
		this.deadlines.bytesArrived(ms(100));
		assertThat(this.deadlines.nanosUntilExpiry(ms(1099))).isEqualTo(ms(1));
		assertThat(this.deadlines.expire(ms(1100))).isEqualTo(RequestDeadlines.Expiry.CLOSE);
	}

	@Test
	void limitsEnforcedByReactorNettyAreNotEnforcedHere() {
		long unlimited = RequestDeadlines.UNLIMITED;
		RequestDeadlines headerOnly = new RequestDeadlines(
				new RequestDeadlines.Limits(ms(1000), unlimited, unlimited, unlimited, ms(4000)), ms(0));
		headerOnly.headersComplete(ms(0));
		assertThat(headerOnly.nanosUntilExpiry(ms(600_000))).isEqualTo(unlimited);
		headerOnly.bodyComplete(ms(0));
		headerOnly.responseComplete(ms(0));
		assertThat(headerOnly.nanosUntilExpiry(ms(600_000))).isEqualTo(unlimited);
	}

	@Test
	void shortestLimitBoundsTheTimer() {
		assertThat(LIMITS.shortest()).isEqualTo(ms(1000));
		assertThat(new RequestDeadlines.Limits(ms(9), ms(8), ms(7), ms(6), ms(5)).shortest()).isEqualTo(ms(5));
	}

	private static long ms(long millis) {
		return millis * 1_000_000;
	}

}
