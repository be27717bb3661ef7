package dev.steady.server.internal;

import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Ends a request whose body arrived too slowly (the read or request timeout, enforced by
 * Steady's {@link RequestBodyTimeoutException} or by Reactor Netty) with
 * {@code 408 Request Timeout}, logged at debug level.
 * Without it each such request is rendered as a 500 and logged at error level with its
 * stack trace, so a slow-body attack of a thousand connections becomes a thousand stack
 * traces written from the event loops. Reactor Netty closes the connection either way.
 * <p>
 * Only the error itself is inspected: a read timeout of a {@code WebClient} call made by
 * the handler arrives wrapped in a {@code WebClientRequestException} and is left alone.
 */
public final class BodyTimeoutExceptionHandler implements WebExceptionHandler, Ordered {

	/** Before Spring Boot's error handler (order -1), which would render a 500. */
	public static final int ORDER = -2;

	/** Reactor Netty's request timeout error, a package-private type. */
	private static final String REQUEST_TIMEOUT_EXCEPTION = "reactor.netty.http.server.RequestTimeoutException";

	private static final Log logger = LogFactory.getLog(BodyTimeoutExceptionHandler.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (!isBodyTimeout(ex) || !exchange.getResponse().setStatusCode(HttpStatus.REQUEST_TIMEOUT)) {
			return Mono.error(ex);
		}
		if (logger.isDebugEnabled()) {
			logger.debug(exchange.getLogPrefix() + "Request body too slow (" + ex.getClass().getSimpleName()
					+ "), answered 408 and closed");
		}
		return exchange.getResponse().setComplete();
	}

	private static boolean isBodyTimeout(Throwable ex) {
		return ex instanceof RequestBodyTimeoutException || ex instanceof ReadTimeoutException
				|| ex.getClass().getName().equals(REQUEST_TIMEOUT_EXCEPTION);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
