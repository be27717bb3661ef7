package dev.steady.client.internal;

import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.StreamUtils;

/**
 * The response to a {@code RestClient} request on a Steady client: its body is streamed from
 * the connection as the caller reads it. Closing it reads what is left of the body, as Spring's
 * own Reactor Netty response does, so that the connection goes back to the pool.
 */
final class SteadyClientHttpResponse implements ClientHttpResponse {

	/** Buffers the body stream asks for ahead of the reader. */
	private static final int DEMAND = 16;

	/** Only wraps the connection's buffers, allocating none. */
	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final HttpClientResponse response;

	private final Connection connection;

	private @Nullable HttpHeaders headers;

	private @Nullable InputStream body;

	SteadyClientHttpResponse(HttpClientResponse response, Connection connection) {
		this.response = response;
		this.connection = connection;
	}

	@Override
	public HttpStatusCode getStatusCode() {
		return HttpStatusCode.valueOf(this.response.status().code());
	}

	@Override
	public String getStatusText() {
		return this.response.status().reasonPhrase();
	}

	@Override
	public HttpHeaders getHeaders() {
		if (this.headers == null) {
			this.headers = HttpHeaders.readOnlyHttpHeaders(new Netty4HeadersAdapter(this.response.responseHeaders()));
		}
		return this.headers;
	}

	@Override
	public InputStream getBody() {
		if (this.body == null) {
			this.body = DataBufferUtils.subscriberInputStream(
					this.connection.inbound().receive().retain().map(BUFFERS::wrap), DEMAND);
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
		this.connection.inbound().receive().subscribe(null, (failure) -> {
			// the connection is closed rather than reused
		});
	}

}
