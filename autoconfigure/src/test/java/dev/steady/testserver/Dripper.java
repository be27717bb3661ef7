package dev.steady.testserver;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends text to connections a byte at a time, a fixed pause apart, the way a slowloris
 * client does, until the text is sent or the server closes the connection.
 */
public final class Dripper implements AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "dripper");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Start dripping text into a connection, the first byte at once.
	 * @param connection the connection
	 * @param text the bytes to send
	 * @param pause the pause between two bytes
	 * @return a live count of the bytes sent so far
	 */
	public AtomicInteger drip(RawHttpConnection connection, String text, Duration pause) {
		Drip drip = new Drip(connection, text);
		drip.schedule = this.scheduler.scheduleAtFixedRate(drip, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
		return drip.sent;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	private static final class Drip implements Runnable {

		private final RawHttpConnection connection;

		private final String text;

		private final AtomicInteger sent = new AtomicInteger();

		private volatile ScheduledFuture<?> schedule;

		private Drip(RawHttpConnection connection, String text) {
			this.connection = connection;
			this.text = text;
		}

		@Override
		public void run() {
			int next = this.sent.get();
			if (next < this.text.length() && this.connection.send(this.text.substring(next, next + 1))) {
				this.sent.incrementAndGet();
			}
			else if (this.schedule != null) {
				this.schedule.cancel(false);
			}
		}

	}

}
