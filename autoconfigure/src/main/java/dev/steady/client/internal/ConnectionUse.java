package dev.steady.client.internal;

import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

/**
 * Which connection carried one attempt of a request, and whether it was a reused pooled
 * connection. Read it from the Reactor Netty request of the attempt (which is its
 * connection) once the attempt failed.
 *
 * @param remote the connection's remote address
 * @param reused whether the connection had served a request before
 * @param idleMillis how long a reused connection had been idle before this request
 */
public record ConnectionUse(SocketAddress remote, boolean reused, long idleMillis) {

	/**
	 * Read the use of a connection of a Steady client.
	 * @param connection the connection, or the Reactor Netty request written on it
	 * @return the connection's use, or {@code null} if it has no remote address
	 */
	public static @Nullable ConnectionUse of(Connection connection) {
		SocketAddress remote = connection.channel().remoteAddress();
		if (remote == null) {
			return null;
		}
		ConnectionHistory history = ConnectionHistory.of(connection.channel());
		long idleSince = (history != null) ? history.idleSinceBeforeThisUse() : ConnectionHistory.NEVER;
		boolean reused = idleSince != ConnectionHistory.NEVER;
		long idle = reused ? System.currentTimeMillis() - idleSince : 0;
		return new ConnectionUse(remote, reused, idle);
	}

}
