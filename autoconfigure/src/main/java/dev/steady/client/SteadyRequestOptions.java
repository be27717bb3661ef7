package dev.steady.client;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import reactor.netty.http.client.HttpClientRequest;

import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Per-request settings for Steady clients. A response timeout is applied with
 * {@code WebClient.RequestHeadersSpec#httpRequest(Consumer)}, retry is turned off with
 * {@code WebClient.RequestHeadersSpec#attributes(Consumer)}:
 * <pre class="code">
 * webClient.get().uri("/report")
 *     .httpRequest(SteadyRequestOptions.responseTimeout(Duration.ofMinutes(2)))
 *     .retrieve().bodyToMono(Report.class);
 * webClient.post().uri("/upload").attributes(SteadyRequestOptions.noRetry())
 *     .body(oneShotBody).retrieve().toBodilessEntity();
 * </pre>
 *
 * @since 0.1.0
 */
public final class SteadyRequestOptions {

	/** Name of the request attribute that {@link #noRetry()} sets to {@code true}. */
	public static final String NO_RETRY_ATTRIBUTE = SteadyRequestOptions.class.getName() + ".noRetry";

	private SteadyRequestOptions() {
	}

	/**
	 * Replace the client's {@code response-timeout} for one request.
	 * @param timeout time allowed until the first response byte and between reads
	 * @return a request consumer for {@code httpRequest(...)}
	 */
	public static Consumer<ClientHttpRequest> responseTimeout(Duration timeout) {
		return (request) -> {
			Object nativeRequest = request.getNativeRequest();
			if (!(nativeRequest instanceof HttpClientRequest reactorRequest)) {
				throw new IllegalStateException("responseTimeout needs a Reactor Netty request, not "
						+ nativeRequest.getClass().getName() + "; is this WebClient built by Steady?");
			}
			reactorRequest.responseTimeout(timeout);
		};
	}

	/**
	 * Turn Steady's retry off for one request, for example for a body that cannot be sent
	 * twice: its failures are returned as they are, never retried.
	 * @return an attributes consumer for {@code attributes(...)}
	 */
	public static Consumer<Map<String, Object>> noRetry() {
		return (attributes) -> attributes.put(NO_RETRY_ATTRIBUTE, Boolean.TRUE);
	}

}
