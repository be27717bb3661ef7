package dev.steady.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Sorts an exchange failure into a {@link FailureCause} by walking its cause chain, the
 * most telling cause first. Reactor Netty's shaded pool exceptions are recognised by
 * {@link PoolFailures}.
 */
public final class FailureClassifier {

	private FailureClassifier() {
	}

	/**
	 * Classify a failure.
	 * @param failure the failure, usually a {@code WebClientRequestException}
	 * @return its cause class
	 */
	public static FailureCause classify(Throwable failure) {
		FailureCause found = FailureCause.OTHER;
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
			FailureCause here = classifyOne(cause);
			if (here != FailureCause.OTHER) {
				return here;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return found;
	}

	private static FailureCause classifyOne(Throwable cause) {
		String type = cause.getClass().getSimpleName();
		String message = (cause.getMessage() != null) ? cause.getMessage() : "";
		if (PoolFailures.isPendingLimit(cause) || PoolFailures.isAcquireTimeout(cause)) {
			return FailureCause.POOL_EXHAUSTED;
		}
		if (type.equals("ReadTimeoutException") || type.equals("WriteTimeoutException")
				|| cause instanceof TimeoutException) {
			return FailureCause.TIMEOUT;
		}
		if (type.equals("PrematureCloseException")) {
			return message.contains("DURING response") ? FailureCause.RESPONSE_BROKEN : FailureCause.STALE_CONNECTION;
		}
		if (type.equals("AbortedException") && message.contains("BEFORE send")) {
			return FailureCause.NOT_SENT;
		}
		if (cause instanceof ConnectException || type.equals("ConnectTimeoutException")
				|| message.endsWith("Max active streams is reached.")) {
			// the last: Reactor Netty's HTTP/2 pool found no stream to open, before any write
			return FailureCause.NOT_SENT;
		}
		if (cause instanceof ClosedChannelException
				|| (cause instanceof IOException && isResetOrBrokenPipe(message))) {
			return FailureCause.STALE_CONNECTION;
		}
		return FailureCause.OTHER;
	}

	private static boolean isResetOrBrokenPipe(String message) {
		String lower = message.toLowerCase(Locale.ROOT);
		return lower.contains("connection reset") || lower.contains("broken pipe");
	}

}
