package dev.steady.client.internal;

import java.io.OutputStream;
import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.FastByteArrayOutputStream;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * A {@code RestClient} request on a Steady client. Its body is buffered; each attempt writes
 * it afresh as one buffer, so a retry the client decides is safe can send it again.
 */
final class SteadyClientHttpRequest extends AbstractClientHttpRequest {

	private final SteadyClientHttpRequestFactory factory;

	private final URI uri;

	private final HttpMethod method;

	/** Created when the body is first written to: a request without a body sends none. */
	private @Nullable FastByteArrayOutputStream body;

	SteadyClientHttpRequest(SteadyClientHttpRequestFactory factory, URI uri, HttpMethod method) {
		this.factory = factory;
		this.uri = uri;
		this.method = method;
	}

	@Override
	public HttpMethod getMethod() {
		return this.method;
	}

	@Override
	public URI getURI() {
		return this.uri;
	}

	@Override
	protected OutputStream getBodyInternal(HttpHeaders headers) {
		if (this.body == null) {
			this.body = new FastByteArrayOutputStream(1024);
		}
		return this.body;
	}

	@Override
	protected ClientHttpResponse executeInternal(HttpHeaders headers) throws java.io.IOException {
		BodyInserter<?, ? super ReactiveHttpOutputMessage> inserter = BodyInserters.empty();
		if (this.body != null) {
			byte[] bytes = this.body.toByteArrayUnsafe();
			if (headers.getContentLength() < 0) {
				headers.setContentLength(bytes.length);
			}
			inserter = bytesOf(bytes);
		}
		Map<String, Object> attributes = getAttributes();
		ClientRequest request = ClientRequest.create(this.method, this.uri)
			.headers((target) -> target.addAll(headers))
			.attributes((target) -> target.putAll(attributes))
			.body(inserter)
			.build();
		return this.factory.execute(request);
	}

	/** Writes the bytes as one buffer wrapping them, a new one for every attempt. */
	private static BodyInserter<byte[], ReactiveHttpOutputMessage> bytesOf(byte[] bytes) {
		return (message, context) -> message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(bytes)));
	}

}
