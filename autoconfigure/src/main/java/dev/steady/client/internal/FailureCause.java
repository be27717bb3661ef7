package dev.steady.client.internal;

import java.util.Locale;

/**
 * What a failed exchange tells about whether the request reached the server.
 */
public enum FailureCause {

	/** The request was never sent: connect refused or timed out, closed before the write. */
	NOT_SENT,

	/**
	 * The server said it never processed the request: an HTTP/2 stream above the last stream
	 * id of its GOAWAY or reset with {@code REFUSED_STREAM}, or one whose HEADERS never left. Safe to send again, whatever the method.
	 */
	NOT_PROCESSED,

	/**
	 * The connection died before any response: typically a pooled keep-alive connection the
	 * server or a load balancer had just closed, or an HTTP/2 connection closed because its
	 * peer stopped answering PINGs. The server may have received the request.
	 */
	STALE_CONNECTION,

	/** The connection died while the response was arriving: the server executed the request. */
	RESPONSE_BROKEN,

	/** No response in time: the server may still be executing the request. */
	TIMEOUT,

	/** No connection could be had from the pool: the client is saturated. */
	POOL_EXHAUSTED,

	/** Any other failure. */
	OTHER;

	/**
	 * Name used in metric tags and logs.
	 * @return the lower-case, dash-separated name
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
