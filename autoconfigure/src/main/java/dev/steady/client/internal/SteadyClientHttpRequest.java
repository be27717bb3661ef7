package dev.steady.client.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.FastByteArrayOutputStream;

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
	protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
		byte[] bytes = null;
		if (this.body != null) {
			bytes = this.body.toByteArrayUnsafe();
			if (headers.getContentLength() < 0) {
				headers.setContentLength(bytes.length);
			}
		}
		return this.factory.execute(this.method, this.uri, headers, getAttributes(), bytes);
	}

}
