package dev.steady.server.internal;

import java.io.Serial;

/**
 * The request being read failed because its body arrived too slowly: it paused longer than
 * the read timeout, or took longer than the request timeout in all. The connection is
 * closed; {@link BodyTimeoutExceptionHandler} answers {@code 408 Request Timeout} when a
 * response can still be sent. Shared instances without a stack trace, as the event loop
 * raises them for slow clients, not for bugs.
 */
public final class RequestBodyTimeoutException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	/** The body paused longer than the read timeout. */
	static final RequestBodyTimeoutException READ_TIMEOUT = new RequestBodyTimeoutException(
			"Request body paused longer than the read timeout");

	/** The body took longer than the request timeout. */
	static final RequestBodyTimeoutException REQUEST_TIMEOUT = new RequestBodyTimeoutException(
			"Request body took longer than the request timeout");

	private RequestBodyTimeoutException(String message) {
		super(message, null, false, false);
	}

}
