package dev.steady.client.internal;

import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Which connection carried one attempt of a request, and whether it was a reused pooled
 * connection. Capture it with {@code ClientRequest.Builder#httpRequest}, which hands over
 * the native request once its connection is acquired.
 *
 * @param remote the connection's remote address
 * @param reused whether the connection had served a request before
 * @param idleMillis how long a reused connection had been idle before this request
 */
public record ConnectionUse(SocketAddress remote, boolean reused, long idleMillis) {

	/**
	 * Read the connection behind a request of a Steady client.
	 * @param request the request, once its connection is acquired
	 * @return the connection's use, or {@code null} if the request is not on Reactor Netty
	 */
	public static @Nullable ConnectionUse of(ClientHttpRequest request) {
		Object nativeRequest = request.getNativeRequest();
		if (!(nativeRequest instanceof Connection connection) || connection.channel().remoteAddress() == null) {
			return null;
		}
		ConnectionHistory history = ConnectionHistory.of(connection.channel());
		long idleSince = (history != null) ? history.idleSinceBeforeThisUse() : ConnectionHistory.NEVER;
		boolean reused = idleSince != ConnectionHistory.NEVER;
		long idle = reused ? System.currentTimeMillis() - idleSince : 0;
		return new ConnectionUse(connection.channel().remoteAddress(), reused, idle);
	}

}
