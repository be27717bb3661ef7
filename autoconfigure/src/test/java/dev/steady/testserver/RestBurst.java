package dev.steady.testserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * Fires concurrent blocking {@code RestClient} calls at once, one platform thread each, and
 * sorts them into succeeded, failed and still blocked after a deadline. Threads still blocked
 * when it is closed are interrupted.
 */
public final class RestBurst implements AutoCloseable {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<Future<?>> blocked = new ArrayList<>();

	/**
	 * Send {@code count} calls at once, each with its own {@link MisbehavingServer#REQUEST_ID}
	 * ({@code idPrefix + index}); a POST carries a small body.
	 * @param client the client
	 * @param method the method
	 * @param path the path, relative to the client's base URL
	 * @param count how many calls, all in flight together
	 * @param idPrefix prefix of the request ids
	 * @param deadline how long to wait for all of them
	 * @return what became of the calls
	 */
	public Outcome fire(RestClient client, HttpMethod method, String path, int count, String idPrefix,
			Duration deadline) {
		return fire(client, method, path, count, idPrefix, 0, deadline);
	}

	/**
	 * Send {@code count} calls at once, each with its own {@link MisbehavingServer#REQUEST_ID}
	 * ({@code idPrefix + index}); a POST carries a body of at least {@code bodyBytes}.
	 * @param client the client
	 * @param method the method
	 * @param path the path, relative to the client's base URL
	 * @param count how many calls, all in flight together
	 * @param idPrefix prefix of the request ids
	 * @param bodyBytes the size of each POST's body, beyond its id
	 * @param deadline how long to wait for all of them
	 * @return what became of the calls
	 */
	public Outcome fire(RestClient client, HttpMethod method, String path, int count, String idPrefix, int bodyBytes,
			Duration deadline) {
		return fire(count, idPrefix, deadline, (id) -> call(client, method, path, id, bodyBytes));
	}

	/**
	 * Make {@code count} blocking calls at once, each given its own request id
	 * ({@code idPrefix + index}).
	 * @param count how many calls, all in flight together
	 * @param idPrefix prefix of the request ids
	 * @param deadline how long to wait for all of them
	 * @param call makes one call with the given request id
	 * @return what became of the calls
	 */
	public Outcome fire(int count, String idPrefix, Duration deadline, Consumer<String> call) {
		List<Future<?>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = idPrefix + i;
			calls.add(this.threads.submit(() -> call.accept(id)));
		}
		long end = System.nanoTime() + deadline.toNanos();
		List<Throwable> failures = new ArrayList<>();
		int stillBlocked = 0;
		for (Future<?> pending : calls) {
			try {
				pending.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				failures.add(ex.getCause());
			}
			catch (TimeoutException ex) {
				stillBlocked++;
				this.blocked.add(pending);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return new Outcome(count - failures.size() - stillBlocked, failures, stillBlocked);
	}

	private static void call(RestClient client, HttpMethod method, String path, String id, int bodyBytes) {
		RestClient.RequestBodySpec request = client.method(method).uri(path).header(MisbehavingServer.REQUEST_ID, id);
		if (method == HttpMethod.POST) {
			request.body("request " + id + "-".repeat(bodyBytes));
		}
		request.retrieve().toBodilessEntity();
	}

	@Override
	public void close() {
		this.blocked.forEach((call) -> call.cancel(true));
		this.threads.shutdownNow();
	}

	/**
	 * What became of a burst of calls.
	 *
	 * @param succeeded calls that returned a response
	 * @param failures exceptions of the calls that failed
	 * @param stillBlocked calls that had not returned by the deadline
	 */
	public record Outcome(int succeeded, List<Throwable> failures, int stillBlocked) {

		@Override
		public String toString() {
			return "succeeded " + this.succeeded + ", failed " + this.failures.size() + ", still blocked "
					+ this.stillBlocked + this.failures.stream()
						.map((failure) -> String.valueOf(failure.getMessage()))
						.distinct()
						.limit(3)
						.toList();
		}

	}

}
