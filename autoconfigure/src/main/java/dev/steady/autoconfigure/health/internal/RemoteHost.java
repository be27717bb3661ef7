package dev.steady.autoconfigure.health.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * A remote host as {@code host:port}, the way per-host pools are keyed: from the address a
 * pool was created for, or from the URL of a request.
 *
 * @param host the host name or address, without brackets
 * @param port the port
 */
record RemoteHost(String host, int port) {

	static RemoteHost of(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return new RemoteHost(inet.getHostString(), inet.getPort());
		}
		return new RemoteHost(address.toString(), 0);
	}

	static @Nullable RemoteHost of(@Nullable String url) {
		if (url == null) {
			return null;
		}
		try {
			URI uri = URI.create(url);
			String host = uri.getHost();
			if (host == null) {
				return null;
			}
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort(uri.getScheme());
			return new RemoteHost(host, port);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static int defaultPort(@Nullable String scheme) {
		return ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) ? 443 : 80;
	}

	/**
	 * URL without its query string and fragment, which may carry secrets.
	 * @param url the URL
	 * @return the URL up to its path
	 */
	static String withoutQuery(String url) {
		int end = url.length();
		int query = url.indexOf('?');
		int fragment = url.indexOf('#');
		if (query >= 0) {
			end = query;
		}
		if (fragment >= 0 && fragment < end) {
			end = fragment;
		}
		return url.substring(0, end);
	}

	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}
