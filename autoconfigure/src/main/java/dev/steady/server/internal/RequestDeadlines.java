package dev.steady.server.internal;

/**
 * The time limits of one HTTP/1.1 connection as a state machine over a clock in nanoseconds:
 * the events of the connection move it from phase to phase, {@link #nanosUntilExpiry(long)}
 * says how long the current phase may still last, and {@link #expire(long)} says what to do
 * when it has lasted too long. It holds no timer and reads no clock, so the connection's
 * handler can keep a single timer however many requests pass, and a test can drive it with
 * any clock.
 * <ul>
 * <li>Headers: the request line and headers must be complete within the header timeout of
 * accept (the first request) or of the request's first byte (every later one).</li>
 * <li>Body: no more than the read timeout between two reads, and no more than the request
 * timeout for the whole body, while the response is still owed; once the application has
 * answered, the rest of the body must arrive within the request timeout of that answer.</li>
 * <li>Between requests: a keep-alive connection may wait for its next request no longer
 * than the idle timeout after its last response.</li>
 * </ul>
 * A limit of {@link #UNLIMITED} is not enforced here (Reactor Netty enforces it instead).
 */
final class RequestDeadlines {

	/** A time limit enforced elsewhere, or a phase without a time limit. */
	static final long UNLIMITED = Long.MAX_VALUE;

	private final long headerTimeout;

	private final long readTimeout;

	private final long requestTimeout;

	private final long idleTimeout;

	private final long lateBodyTimeout;

	private Phase phase = Phase.HEADERS;

	private int responsesOwed;

	/** Start of the current phase: accept or first byte, request headers, last response. */
	private long phaseStart;

	private long lastRead;

	/** When the application answered a request whose body is still arriving. */
	private long answeredEarly;

	/**
	 * Create the deadlines of a connection accepted at {@code now}.
	 * @param limits the time limits, in nanoseconds
	 * @param now the clock at accept
	 */
	RequestDeadlines(Limits limits, long now) {
		this.headerTimeout = limits.header();
		this.readTimeout = limits.read();
		this.requestTimeout = limits.request();
		this.idleTimeout = limits.idle();
		this.lateBodyTimeout = limits.lateBody();
		this.phaseStart = now;
	}

	/**
	 * Whether the last request is complete and the next one has not started.
	 * @return whether the next byte starts a request
	 */
	boolean awaitingNextRequest() {
		return this.phase == Phase.BETWEEN_REQUESTS;
	}

	/**
	 * A byte of request data arrived, before the HTTP codec decoded it.
	 * @param now the clock
	 */
	void bytesArrived(long now) {
		if (this.phase == Phase.BETWEEN_REQUESTS) {
			this.phase = Phase.HEADERS;
			this.phaseStart = now;
		}
	}

	/**
	 * A request's line and headers are complete.
	 * @param now the clock
	 */
	void headersComplete(long now) {
		this.phase = Phase.BODY;
		this.phaseStart = now;
		this.lastRead = now;
		this.responsesOwed++;
	}

	/**
	 * Part of a request body arrived.
	 * @param now the clock
	 */
	void bodyRead(long now) {
		this.lastRead = now;
	}

	/**
	 * A request body is complete.
	 * @param now the clock
	 */
	void bodyComplete(long now) {
		if (this.phase != Phase.BODY) {
			return;
		}
		this.phase = Phase.BETWEEN_REQUESTS;
		this.phaseStart = now;
	}

	/**
	 * The last part of a response (not an informational one) was written.
	 * @param now the clock
	 */
	void responseComplete(long now) {
		this.responsesOwed--;
		if (this.responsesOwed != 0) {
			return;
		}
		if (this.phase == Phase.BODY) {
			this.answeredEarly = now;
		}
		else if (this.phase == Phase.BETWEEN_REQUESTS) {
			this.phaseStart = now;
		}
	}

	/**
	 * Whether a time limit expired and the connection must read nothing more.
	 * @return whether the connection is closing
	 */
	boolean expired() {
		return this.phase == Phase.EXPIRED;
	}

	/**
	 * Time left before the current phase's limit expires.
	 * @param now the clock
	 * @return the nanoseconds left, zero or less when expired, {@link #UNLIMITED} when the
	 * phase has no limit here
	 */
	long nanosUntilExpiry(long now) {
		return switch (this.phase) {
			case HEADERS -> left(this.phaseStart, this.headerTimeout, now);
			case BODY -> (this.responsesOwed > 0)
					? Math.min(left(this.lastRead, this.readTimeout, now),
							left(this.phaseStart, this.requestTimeout, now))
					: left(this.answeredEarly, this.lateBodyTimeout, now);
			case BETWEEN_REQUESTS -> (this.responsesOwed == 0) ? left(this.phaseStart, this.idleTimeout, now)
					: UNLIMITED;
			case EXPIRED -> UNLIMITED;
		};
	}

	/**
	 * The limit of the current phase expired: the connection now reads nothing more.
	 * @param now the clock
	 * @return what the connection must do
	 */
	Expiry expire(long now) {
		Expiry expiry = switch (this.phase) {
			case HEADERS -> (this.responsesOwed == 0) ? Expiry.ANSWER_REQUEST_TIMEOUT : Expiry.CLOSE;
			case BODY -> (this.responsesOwed == 0) ? Expiry.CLOSE
					: (left(this.lastRead, this.readTimeout, now) <= 0) ? Expiry.BODY_READ_TIMEOUT
							: Expiry.BODY_REQUEST_TIMEOUT;
			case BETWEEN_REQUESTS, EXPIRED -> Expiry.CLOSE;
		};
		this.phase = Phase.EXPIRED;
		return expiry;
	}

	private static long left(long start, long limit, long now) {
		return (limit == UNLIMITED) ? UNLIMITED : limit - (now - start);
	}

	/**
	 * Time limits in nanoseconds, {@link RequestDeadlines#UNLIMITED} for one that is
	 * enforced elsewhere.
	 *
	 * @param header request line and headers
	 * @param read between two reads of a request body
	 * @param request a whole request body
	 * @param idle wait for the next request on a keep-alive connection
	 * @param lateBody the rest of a request body after the application answered early
	 */
	record Limits(long header, long read, long request, long idle, long lateBody) {

		/**
		 * The shortest limit: a deadline set by any later event is at least this far ahead.
		 * @return the shortest limit in nanoseconds
		 */
		long shortest() {
			return Math.min(Math.min(Math.min(this.header, this.read), Math.min(this.request, this.idle)),
					this.lateBody);
		}

	}

	/** What a connection does when a time limit expired. */
	enum Expiry {

		/** Answer {@code 408 Request Timeout} and close: the headers were too slow. */
		ANSWER_REQUEST_TIMEOUT,

		/** Fail the request being read (the body paused too long) and close. */
		BODY_READ_TIMEOUT,

		/** Fail the request being read (the body took too long in all) and close. */
		BODY_REQUEST_TIMEOUT,

		/** Close: no response can be sent, or none is owed. */
		CLOSE

	}

	/** Where the connection stands in its current request. */
	private enum Phase {

		/** Request line and headers under way (the first request: from accept). */
		HEADERS,

		/** Headers complete, body under way. */
		BODY,

		/** Last body complete; waiting for the response or for the next request's first byte. */
		BETWEEN_REQUESTS,

		/** A time limit expired; the connection is closing. */
		EXPIRED

	}

}
