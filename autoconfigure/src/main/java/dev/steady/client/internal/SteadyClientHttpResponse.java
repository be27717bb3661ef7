package dev.steady.client.internal;

import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.StreamUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The response to a {@code RestClient} request on a Steady client: its body is streamed from
 * the connection as the caller reads it. Closing it reads what is left of the body, as Spring's
 * own Reactor Netty response does, so that the connection goes back to the pool.
 */
final class SteadyClientHttpResponse implements ClientHttpResponse {

	/** Buffers the body stream asks for ahead of the reader. */
	private static final int DEMAND = 16;

	private final ClientResponse response;

	private @Nullable InputStream body;

	SteadyClientHttpResponse(ClientResponse response) {
		this.response = response;
	}

	@Override
	public HttpStatusCode getStatusCode() {
		return this.response.statusCode();
	}

	@Override
	public String getStatusText() {
		HttpStatus status = HttpStatus.resolve(this.response.statusCode().value());
		return (status != null) ? status.getReasonPhrase() : "";
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.response.headers().asHttpHeaders();
	}

	@Override
	public InputStream getBody() {
		if (this.body == null) {
			this.body = DataBufferUtils.subscriberInputStream(this.response.body(BodyExtractors.toDataBuffers()),
					DEMAND);
		}
		return this.body;
	}

	@Override
	public void close() {
		InputStream body = getBody();
		try (body) {
			StreamUtils.drain(body);
		}
		catch (IOException ex) {
			// the connection is closed rather than reused
		}
	}

	/**
	 * Release a response nobody will read, without waiting for its body: it may be discarded on
	 * the event loop it arrived on.
	 */
	void discard() {
		this.response.releaseBody().subscribe();
	}

}
