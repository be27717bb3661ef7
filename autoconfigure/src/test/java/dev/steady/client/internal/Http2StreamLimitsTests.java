package dev.steady.client.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's streams per connection are taken from two connections it ended after the same
 * number of streams in a row, never from one, nor from ends at different counts (a shutdown
 * or a reload ends connections after any number).
 */
class Http2StreamLimitsTests {

	private final SocketAddress nginx = InetSocketAddress.createUnresolved("nginx", 80);

	private final Http2StreamLimits limits = new Http2StreamLimits();

	@Test
	void twoConnectionsEndedAfterTheSameCountTeachIt() {
		this.limits.endedAfter(this.nginx, 100);
		assertThat(this.limits.limitOf(this.nginx)).as("after one").isEqualTo(Integer.MAX_VALUE);
		this.limits.endedAfter(this.nginx, 100);
		assertThat(this.limits.limitOf(this.nginx)).isEqualTo(100);
	}

	@Test
	void endsAtDifferentCountsTeachNothing() {
		this.limits.endedAfter(this.nginx, 37);
		this.limits.endedAfter(this.nginx, 81);
		this.limits.endedAfter(this.nginx, 12);
		assertThat(this.limits.limitOf(this.nginx)).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void aConnectionEndedAfterItsFirstStreamTeachesNothing() {
		this.limits.endedAfter(this.nginx, 1);
		this.limits.endedAfter(this.nginx, 1);
		assertThat(this.limits.limitOf(this.nginx)).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void aNewCountTwiceInARowReplacesTheLimit() {
		this.limits.endedAfter(this.nginx, 100);
		this.limits.endedAfter(this.nginx, 100);
		this.limits.endedAfter(this.nginx, 1000);
		assertThat(this.limits.limitOf(this.nginx)).as("one end at another count").isEqualTo(100);
		this.limits.endedAfter(this.nginx, 1000);
		assertThat(this.limits.limitOf(this.nginx)).isEqualTo(1000);
	}

}
