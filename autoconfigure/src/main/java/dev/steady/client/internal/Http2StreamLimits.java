package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * How many streams each HTTP/2 server serves on one connection before it ends it with a
 * GOAWAY, as nginx does after {@code keepalive_requests}. Streams a client opens past that
 * number race the GOAWAY and are refused. A server's GOAWAY that ends a busy connection after
 * its first n streams is a limit only if the next such GOAWAY says n again: a shutdown or a
 * reload ends connections after any number. Once a limit is known, a connection that has
 * opened that many streams takes no new one while its streams are open
 * ({@link Http2EvictionPolicy}).
 */
public final class Http2StreamLimits {

	/** Fewer streams than this per connection are taken for a shutdown, never for a limit. */
	static final int MIN_LIMIT = 2;

	/** Bound on the hosts remembered; past it, everything starts afresh. */
	private static final int MAX_HOSTS = 10_000;

	private static final Log logger = LogFactory.getLog(Http2StreamLimits.class);

	private final Map<SocketAddress, Integer> lastEndedAfter = new ConcurrentHashMap<>();

	private final Map<SocketAddress, Integer> limits = new ConcurrentHashMap<>();

	/**
	 * A server ended a busy connection by GOAWAY after the connection's first streams.
	 * @param remote the server's address
	 * @param streams how many of the connection's streams it processed: those at or below
	 * the GOAWAY's last stream id
	 */
	void endedAfter(SocketAddress remote, int streams) {
		if (streams < MIN_LIMIT) {
			return;
		}
		if (this.lastEndedAfter.size() > MAX_HOSTS) {
			this.lastEndedAfter.clear();
			this.limits.clear();
		}
		Integer before = this.lastEndedAfter.put(remote, streams);
		if (before != null && before == streams) {
			Integer known = this.limits.put(remote, streams);
			if (known == null || known != streams) {
				logger.info("Steady: " + remote + " ends each HTTP/2 connection after " + streams
						+ " streams; a connection that has opened as many takes no new stream while its streams are open");
			}
		}
	}

	/**
	 * The most streams a connection to a server may open.
	 * @param remote the server's address
	 * @return the server's limit, or {@link Integer#MAX_VALUE} when none is known
	 */
	int limitOf(SocketAddress remote) {
		Integer limit = this.limits.get(remote);
		return (limit != null) ? limit : Integer.MAX_VALUE;
	}

}
