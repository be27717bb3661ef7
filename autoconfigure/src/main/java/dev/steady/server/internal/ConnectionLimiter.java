package dev.steady.server.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;

/**
 * Caps the connections a server holds open at once. A connection accepted beyond the cap
 * is closed straight away and counted, so the process never runs out of file descriptors
 * however many clients connect.
 */
public final class ConnectionLimiter {

	private final int maxConnections;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicLong refused = new AtomicLong();

	/**
	 * Create a limiter.
	 * @param maxConnections open connections beyond which new ones are refused
	 */
	public ConnectionLimiter(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * Admit a newly accepted connection, or close it when the cap is reached.
	 * @param channel the accepted connection
	 * @return whether the connection was admitted
	 */
	public boolean admit(Channel channel) {
		if (this.open.incrementAndGet() > this.maxConnections) {
			this.open.decrementAndGet();
			this.refused.incrementAndGet();
			channel.close();
			return false;
		}
		channel.closeFuture().addListener((future) -> this.open.decrementAndGet());
		return true;
	}

	/**
	 * Open connections beyond which new ones are refused.
	 * @return the cap
	 */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Connections admitted and still open.
	 * @return the count
	 */
	public int openConnections() {
		return this.open.get();
	}

	/**
	 * Connections refused since the server started because the cap was reached.
	 * @return the count
	 */
	public long refusedConnections() {
		return this.refused.get();
	}

}
