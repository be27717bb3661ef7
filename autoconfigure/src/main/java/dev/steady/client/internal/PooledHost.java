package dev.steady.client.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A remote host as Reactor Netty keys its per-host pool: a host name and port, unresolved,
 * or an IP literal and port. Steady keeps what it learns per connection address (an IP
 * address, still carrying the name it was resolved from) and per URL authority as written;
 * this says which of those are the host's.
 */
public final class PooledHost {

	private final SocketAddress address;

	private final boolean resolved;

	private final String host;

	private final int port;

	private PooledHost(SocketAddress address) {
		this.address = address;
		InetSocketAddress inet = (address instanceof InetSocketAddress socket) ? socket : null;
		this.resolved = inet == null || !inet.isUnresolved();
		this.host = (inet != null) ? inet.getHostString() : "";
		this.port = (inet != null) ? inet.getPort() : -1;
	}

	/**
	 * The host of a per-host pool.
	 * @param poolAddress the address Reactor Netty keys the pool by
	 * @return the host
	 */
	public static PooledHost of(SocketAddress poolAddress) {
		return new PooledHost(poolAddress);
	}

	/**
	 * The connection addresses among these that are the host's: the pool's own address (an
	 * IP literal), or an address the host's name resolved to.
	 * @param connected addresses of connections
	 * @return those of this host
	 */
	Set<SocketAddress> addressesAmong(Set<? extends SocketAddress> connected) {
		if (this.resolved) {
			return connected.contains(this.address) ? Set.of(this.address) : Set.of();
		}
		Set<SocketAddress> addresses = new HashSet<>();
		for (SocketAddress candidate : connected) {
			if (candidate instanceof InetSocketAddress inet && inet.getPort() == this.port
					&& this.host.equalsIgnoreCase(inet.getHostString())) {
				addresses.add(candidate);
			}
		}
		return addresses;
	}

	/**
	 * How a URL authority names the host: {@code host:port}, and {@code host} alone for the
	 * default ports of HTTP and HTTPS.
	 * @return the authorities, as a request URL writes them
	 */
	public List<String> authorities() {
		if (this.host.isEmpty()) {
			return List.of();
		}
		String host = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		List<String> authorities = new ArrayList<>(2);
		authorities.add(host + ":" + this.port);
		if (this.port == 80 || this.port == 443) {
			authorities.add(host);
		}
		return authorities;
	}

}
