package dev.steady.retry.internal;

import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeStrategies;

/**
 * One attempt of a request, remembering which connection it was written on. A view of the
 * request rather than a copy ({@code ClientRequest.from(...)} would copy its headers,
 * cookies and attributes on every attempt); the connection is only looked at when the
 * attempt fails.
 */
final class TrackedRequest implements ClientRequest {

	private final ClientRequest request;

	private volatile @Nullable Connection written;

	TrackedRequest(ClientRequest request) {
		this.request = request;
	}

	/**
	 * The connection the attempt was written on.
	 * @return the connection, or {@code null} if the attempt never got a Reactor Netty one
	 */
	@Nullable Connection connection() {
		return this.written;
	}

	@Override
	public Mono<Void> writeTo(ClientHttpRequest request, ExchangeStrategies strategies) {
		if (request.getNativeRequest() instanceof Connection connection) {
			this.written = connection;
		}
		return this.request.writeTo(request, strategies);
	}

	@Override
	public HttpMethod method() {
		return this.request.method();
	}

	@Override
	public URI url() {
		return this.request.url();
	}

	@Override
	public HttpHeaders headers() {
		return this.request.headers();
	}

	@Override
	public MultiValueMap<String, String> cookies() {
		return this.request.cookies();
	}

	@Override
	public BodyInserter<?, ? super ClientHttpRequest> body() {
		return this.request.body();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.request.attributes();
	}

	@Override
	public Consumer<ClientHttpRequest> httpRequest() {
		return this.request.httpRequest();
	}

	@Override
	public String logPrefix() {
		return this.request.logPrefix();
	}

}
