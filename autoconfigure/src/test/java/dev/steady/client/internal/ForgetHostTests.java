package dev.steady.client.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What forgetting a host whose pool is gone drops: the state of that client and that host
 * only, whether the pool was keyed by an IP literal or by a host name, and a host's idle-close
 * burst only once no client keeps the host.
 */
class ForgetHostTests {

	private static final long IDLE = 1000;

	private long now = 1_000_000L;

	private final LearnedIdleTimeouts learned = new LearnedIdleTimeouts(() -> this.now);

	private final StaleConnectionSuspects suspects = new StaleConnectionSuspects();

	private final InetSocketAddress inventory = connected("inventory.internal", "10.0.0.7", 443);

	private final InetSocketAddress inventoryOtherAddress = connected("inventory.internal", "10.0.0.8", 443);

	private final InetSocketAddress billing = connected("billing.internal", "10.0.0.9", 443);

	@Test
	void hostKeyedByNameForgetsEveryAddressItResolvedToAndNoOtherHost() {
		closedWhileIdle("a", this.inventory);
		closedWhileIdle("a", this.inventoryOtherAddress);
		closedWhileIdle("a", this.billing);
		this.suspects.staleConnectionFailed("a", this.inventory);
		this.suspects.staleConnectionFailed("a", this.billing);
		this.learned.forgetHost("a", InetSocketAddress.createUnresolved("inventory.internal", 443));
		this.suspects.forgetHost("a", InetSocketAddress.createUnresolved("inventory.internal", 443));
		assertThat(this.learned.of("a")).containsOnlyKeys(this.billing);
		assertThat(this.learned.provenOf("a")).containsOnlyKeys(this.billing);
		assertThat(this.suspects.of("a")).containsOnlyKeys(this.billing);
	}

	@Test
	void hostKeyedByNameKeepsTheSameNameOnAnotherPort() {
		InetSocketAddress admin = connected("inventory.internal", "10.0.0.7", 8443);
		closedWhileIdle("a", this.inventory);
		closedWhileIdle("a", admin);
		this.learned.forgetHost("a", InetSocketAddress.createUnresolved("INVENTORY.internal", 443));
		assertThat(this.learned.provenOf("a")).containsOnlyKeys(admin);
	}

	@Test
	void hostKeyedByIpLiteralForgetsThatAddress() {
		SocketAddress literal = new InetSocketAddress("127.0.0.5", 8080);
		closedWhileIdle("a", new InetSocketAddress("127.0.0.5", 8080));
		closedWhileIdle("a", new InetSocketAddress("127.0.0.6", 8080));
		this.learned.forgetHost("a", literal);
		assertThat(this.learned.provenOf("a")).containsOnlyKeys(new InetSocketAddress("127.0.0.6", 8080));
	}

	@Test
	void forgettingAHostForOneClientKeepsWhatAnotherClientKnowsOfIt() {
		closedWhileIdle("a", this.inventory);
		closedWhileIdle("b", this.inventory);
		this.learned.forgetHost("a", this.inventory);
		assertThat(this.learned.provenOf("a")).isEmpty();
		assertThat(this.learned.of("a")).isEmpty();
		assertThat(this.learned.provenOf("b")).containsOnlyKeys(this.inventory);
		assertThat(this.learned.of("b")).containsEntry(this.inventory, IDLE);
		assertThat(this.learned.provenSafeIdleMillis(this.inventory)).isEqualTo(IDLE);
	}

	@Test
	void forgottenHostIsLearnedAgainFromScratch() {
		closedWhileIdle("a", this.inventory);
		this.learned.forgetHost("a", this.inventory);
		assertThat(this.learned.provenSafeIdleMillis(this.inventory)).isZero();
		this.now += 10_000;
		this.learned.closedWhileIdle("a", this.inventory, 3000, 3000);
		assertThat(this.learned.of("a")).containsEntry(this.inventory, 3000L);
	}

	@Test
	void unknownClientOrHostForgetsNothing() {
		closedWhileIdle("a", this.inventory);
		this.learned.forgetHost("b", this.inventory);
		this.learned.forgetHost("a", this.billing);
		this.suspects.forgetHost("a", this.inventory);
		assertThat(this.learned.provenOf("a")).containsOnlyKeys(this.inventory);
	}

	@Test
	void retryBudgetsOfAHostAreFoundByTheAuthoritiesThatNameIt() {
		assertThat(PooledHost.of(InetSocketAddress.createUnresolved("inventory.internal", 443)).authorities())
			.containsExactly("inventory.internal:443", "inventory.internal");
		assertThat(PooledHost.of(new InetSocketAddress("127.0.0.5", 8080)).authorities())
			.containsExactly("127.0.0.5:8080");
		assertThat(PooledHost.of(InetSocketAddress.createUnresolved("::1", 8080)).authorities())
			.containsExactly("[::1]:8080");
	}

	private void closedWhileIdle(String client, SocketAddress remote) {
		this.now += 10_000;
		this.learned.closedWhileIdle(client, remote, IDLE, IDLE);
	}

	/** A connection's remote address: resolved, and carrying the name it was resolved from. */
	private static InetSocketAddress connected(String name, String ip, int port) {
		try {
			return new InetSocketAddress(InetAddress.getByAddress(name, InetAddress.getByName(ip).getAddress()), port);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
