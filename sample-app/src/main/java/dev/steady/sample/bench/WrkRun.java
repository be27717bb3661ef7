package dev.steady.sample.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the {@code wrk} load generator, a process of its own, against a server in a
 * process of its own: requests per second and the 99th percentile latency wrk reports, and
 * the CPU time the server's process spent per request meanwhile (the figure least moved by
 * other work on a busy machine).
 */
final class WrkRun {

	private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");

	private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

	private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)|Socket errors: (.*)");

	private WrkRun() {
	}

	/**
	 * Load a server for a while.
	 * @param server the server's process
	 * @param url the endpoint
	 * @param connections connections wrk keeps open, one thread
	 * @param duration length of the run, in whole seconds (at least 1)
	 * @return what the run achieved
	 * @throws IOException if wrk could not be started
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	static Result run(Process server, String url, int connections, Duration duration)
			throws IOException, InterruptedException {
		Duration cpuBefore = cpu(server);
		Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s",
				"--latency", url)
			.redirectErrorStream(true)
			.start();
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = wrk.waitFor();
		Duration cpu = cpu(server).minus(cpuBefore);
		long requests = Long.parseLong(find(REQUESTS, output, exit));
		Matcher p99 = P99.matcher(output);
		if (exit != 0 || requests == 0 || !p99.find()) {
			throw new IllegalStateException("wrk exited with " + exit + ":\n" + output);
		}
		Matcher errors = ERRORS.matcher(output);
		return new Result(Double.parseDouble(find(REQUESTS_PER_SECOND, output, exit)),
				millis(Double.parseDouble(p99.group(1)), p99.group(2)), cpu.toNanos() / 1000.0 / requests,
				errors.find() ? errors.group() : "");
	}

	private static Duration cpu(Process server) {
		Optional<Duration> cpu = server.info().totalCpuDuration();
		return cpu.orElse(Duration.ZERO);
	}

	private static String find(Pattern pattern, String output, int exit) {
		Matcher matcher = pattern.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException("wrk exited with " + exit + ":\n" + output);
		}
		return matcher.group(1);
	}

	private static double millis(double value, String unit) {
		return switch (unit) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	/**
	 * What one run achieved.
	 *
	 * @param requestsPerSecond requests per second wrk saw answered
	 * @param p99Millis 99th percentile latency
	 * @param cpuMicrosPerRequest CPU time of the server's process per request
	 * @param errors wrk's error line, empty when there was none
	 */
	record Result(double requestsPerSecond, double p99Millis, double cpuMicrosPerRequest, String errors) {

	}

}
