package dev.steady.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nginx's log of the requests one of its ports executed (see {@code .ci/nginx/nginx.conf}):
 * its {@code keepalive_timeout 75s} port, directly or behind HAProxy, or its h2c port. One
 * line per request, its connection's serial number and its {@code X-Request-Id}. A test names
 * its requests with an id prefix of its own and reads back what nginx executed under it.
 */
final class NginxRequestLog {

	private static final String FILE_PROPERTY = "steady.interop.nginx-request-log";

	private static final String H2C_FILE_PROPERTY = "steady.interop.nginx-h2c-request-log";

	/** nginx writes a request's line after answering it: the last ones may lag the client a little. */
	private static final Duration CEILING = Duration.ofSeconds(30);

	private final Path file;

	private NginxRequestLog(Path file) {
		this.file = file;
	}

	/**
	 * The log that {@code .ci/interop.sh} names in {@code -Dsteady.interop.nginx-request-log}.
	 * @return the log
	 */
	static NginxRequestLog fromSystemProperty() {
		return fromSystemProperty(FILE_PROPERTY);
	}

	/**
	 * The log of the h2c port, which {@code .ci/interop.sh} names in
	 * {@code -Dsteady.interop.nginx-h2c-request-log}.
	 * @return the log
	 */
	static NginxRequestLog h2cFromSystemProperty() {
		return fromSystemProperty(H2C_FILE_PROPERTY);
	}

	private static NginxRequestLog fromSystemProperty(String property) {
		String path = System.getProperty(property);
		assertThat(path).as("nginx's request log, -D%s (set by .ci/interop.sh)", property).isNotNull();
		return new NginxRequestLog(Path.of(path));
	}

	/**
	 * An id prefix no earlier run against the same nginx has used.
	 * @param scenario what the requests are for
	 * @return the prefix, ending with {@code /}
	 */
	static String newIdPrefix(String scenario) {
		return scenario + "-" + Long.toString(System.nanoTime(), 36) + "/";
	}

	/**
	 * Wait until nginx has logged at least {@code count} requests whose id starts with the
	 * prefix.
	 * @param idPrefix the prefix of the request ids
	 * @param count how many requests the client saw answered
	 * @return what nginx executed under the prefix
	 */
	Executed awaitExecuted(String idPrefix, int count) {
		await().atMost(CEILING).until(() -> read(idPrefix).size() >= count);
		return new Executed(read(idPrefix));
	}

	private List<Line> read(String idPrefix) {
		try (var lines = Files.lines(this.file)) {
			return lines.map(Line::parse).filter((line) -> line.requestId().startsWith(idPrefix)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Requests nginx executed.
	 * @param lines their log lines
	 */
	record Executed(List<Line> lines) {

		/**
		 * Connections that carried the requests: each was opened by the client (or by HAProxy).
		 * @return the count
		 */
		long connections() {
			return this.lines.stream().map(Line::connection).distinct().count();
		}

		/**
		 * Most executions of any one request id: 1 when no request ran twice.
		 * @return the count
		 */
		long mostExecutionsOfOneRequest() {
			return executionsById().values().stream().mapToLong(Long::longValue).max().orElse(0);
		}

		/**
		 * Executions of each request id nginx logged.
		 * @return the count by id
		 */
		Map<String, Long> executionsById() {
			return this.lines.stream().collect(Collectors.groupingBy(Line::requestId, Collectors.counting()));
		}

	}

	/**
	 * One executed request.
	 * @param connection nginx's serial number of its connection
	 * @param requestId its {@code X-Request-Id}
	 */
	record Line(String connection, String requestId) {

		static Line parse(String text) {
			int space = text.indexOf(' ');
			return new Line(text.substring(0, space), text.substring(space + 1));
		}

	}

}
