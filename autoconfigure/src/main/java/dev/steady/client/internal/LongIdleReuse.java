package dev.steady.client.internal;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Marks, in the Reactor context of a request's exchange, that the request may reuse a
 * connection idle for longer than its host has proven safe: a stale failure of it would be
 * retried, so the connection's idle time gets proven (or disproven) at no risk. Steady's
 * retry filter marks such attempts; every other request, including all requests of clients
 * without retry, reuses only connections of proven idle time.
 */
public final class LongIdleReuse {

	private static final String KEY = LongIdleReuse.class.getName();

	private LongIdleReuse() {
	}

	/**
	 * Allow the request whose exchange sees this context to reuse long-idle connections.
	 * @param context the exchange's context
	 * @return the context with the mark
	 */
	public static Context allow(Context context) {
		return context.put(KEY, Boolean.TRUE);
	}

	static boolean isAllowed(ContextView context) {
		return context.hasKey(KEY);
	}

}
