package dev.steady.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.RejectedExecutionException;

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
 * The response to a {@code RestClient} request on a Steady client. It is made on the event
 * loop that read the response's head, and subscribes to the body right there: the body's
 * buffers queue up for the caller as the event loop reads them, and a small body that came
 * with the head is complete before the caller wakes. The caller reads the body through an
 * input stream, without a hop to the event loop and, unless the body is still arriving,
 * without parking again. Closing the response reads what is left of the body, as Spring's own
 * Reactor Netty response does, so that the connection goes back to the pool.
 */
final class SteadyClientHttpResponse implements ClientHttpResponse {

	/** Buffers the body stream asks for ahead of the reader. */
	private static final int DEMAND = 16;

	/** Only wraps the connection's buffers, allocating none. */
	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final HttpClientResponse response;

	private final Connection connection;

	private final InputStream body;

	private @Nullable HttpHeaders headers;

	/**
	 * Take a response and start receiving its body.
	 * @param response the response, its head read
	 * @param connection its connection, on whose event loop this is called
	 */
	SteadyClientHttpResponse(HttpClientResponse response, Connection connection) {
		this.response = response;
		this.connection = connection;
		this.body = DataBufferUtils.subscriberInputStream(connection.inbound().receive().retain().map(BUFFERS::wrap),
				DEMAND);
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
		return this.body;
	}

	@Override
	public void close() {
		try (InputStream body = this.body) {
			StreamUtils.drain(body);
		}
		catch (IOException ex) {
			// the connection is closed rather than reused
		}
	}

	/**
	 * Run an action on the connection's event loop once it is done with the reads at hand: a
	 * body that came in the same read as the head is complete by then, and the connection is
	 * back in the pool, before the caller runs its next request.
	 * @param action what to run
	 */
	void afterCurrentReads(Runnable action) {
		try {
			this.connection.channel().eventLoop().execute(action);
		}
		catch (RejectedExecutionException ex) {
			// the event loop is shutting down: nothing is read any more
			action.run();
		}
	}

	/**
	 * Release a response nobody will read, without waiting for its body, on any thread: the
	 * buffers received are released, and a body still arriving closes the connection (a
	 * complete one has let it go back to the pool already).
	 */
	void discard() {
		try {
			this.body.close();
		}
		catch (IOException ex) {
			// closing the stream only cancels its subscription
		}
	}

}
