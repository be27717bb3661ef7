package dev.steady.client;

import java.time.Duration;
import java.util.function.Consumer;

import reactor.netty.http.client.HttpClientRequest;

import org.springframework.http.client.reactive.ClientHttpRequest;

/**
 * Per-request settings for Steady clients, applied with
 * {@code WebClient.RequestHeadersSpec#httpRequest(Consumer)}:
 * <pre class="code">
 * webClient.get().uri("/report")
 *     .httpRequest(SteadyRequestOptions.responseTimeout(Duration.ofMinutes(2)))
 *     .retrieve().bodyToMono(Report.class);
 * </pre>
 */
public final class SteadyRequestOptions {

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

}
