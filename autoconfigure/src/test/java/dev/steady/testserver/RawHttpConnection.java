package dev.steady.testserver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One client connection that speaks HTTP/1.1 by hand over a plain socket, so a test can
 * send a request a byte at a time, stop half way, or keep the connection idle, and see
 * exactly what the server answers and when it closes the connection.
 * <p>
 * Every read waits at most {@link #CEILING}; a read that hits it fails the test rather than
 * hanging it.
 */
public final class RawHttpConnection implements AutoCloseable {

	/** Longest any single read waits. */
	public static final Duration CEILING = Duration.ofSeconds(30);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final Instant openedAt;

	private RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
		this.openedAt = Instant.now();
	}

	/**
	 * Connect to a server on the loopback interface.
	 * @param port the server's port
	 * @return the open connection
	 */
	public static RawHttpConnection open(int port) {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CEILING.toMillis());
			socket.setSoTimeout((int) CEILING.toMillis());
			return new RawHttpConnection(socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * When the connection was opened.
	 * @return the instant
	 */
	public Instant openedAt() {
		return this.openedAt;
	}

	/**
	 * Send text as US-ASCII bytes.
	 * @param text the bytes to send
	 * @return {@code false} when the server had already closed the connection
	 */
	public boolean send(String text) {
		try {
			this.out.write(text.getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Send a GET request of {@code /} and read its response.
	 * @return the response
	 */
	public Response get() {
		if (!send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
			throw new IllegalStateException("The server closed the connection before the request was sent");
		}
		return readResponse();
	}

	/**
	 * Read one response: status line, headers and a body of {@code Content-Length} bytes.
	 * @return the response
	 */
	public Response readResponse() {
		try {
			String head = readHead();
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			return new Response(status, headers, new String(this.in.readNBytes(length), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Read and discard until the server closes the connection (end of stream or reset).
	 * @return when the close was seen
	 */
	public Instant awaitClosedByServer() {
		try {
			while (this.in.read() != -1) {
				// discard whatever the server still sends
			}
		}
		catch (SocketException ex) {
			// reset by the server: closed as well
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Instant.now();
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private String readHead() throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = this.in.read();
			if (b == -1) {
				throw new IOException("Connection closed before a complete response head: " + head);
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII).trim();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	/**
	 * A response as read off the wire.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		/**
		 * Value of a header.
		 * @param name the header name, any case
		 * @return the value, or {@code null} when absent
		 */
		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
