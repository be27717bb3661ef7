package dev.steady.sample.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * What Steady's server features cost on a trivial endpoint: one {@link ServerUnderLoad}
 * process holding one application context per variant (Steady's server off, on with every
 * feature, and its always-on core with each optional feature added by itself), loaded in turn
 * by {@code wrk} in a process of its own. Each variant is warmed up once; then in each round
 * every variant runs once, in an order reversed from round to round, and its ratios to the
 * variant without Steady's server are taken within the round.
 * <p>
 * The variants share one JVM, so they share what the JIT compiled and the event loops:
 * two JVMs of the same code can settle into different speeds, which a JVM per variant would
 * count as the feature's cost. A second context with Steady's server off runs as a variant of
 * its own: its ratio to the first is the noise floor of the run. The process is started
 * afresh {@code forks} times, so that one JVM's luck does not decide every figure.
 */
final class ServerBenchmark {

	/** The baseline of every ratio. */
	static final String OFF = "steady.server off";

	/** The same as the baseline in another context: the noise floor. */
	static final String OFF_AGAIN = "steady.server off, other context";

	private static final String NO_TCP = "steady.server.tcp-keep-alive.enabled=false";

	/** Name and comma-separated properties of each variant, the baseline first. */
	private static final Map<String, String> VARIANTS = variants();

	private final ServerBenchmarkSettings settings;

	ServerBenchmark(ServerBenchmarkSettings settings) {
		this.settings = settings;
	}

	private static Map<String, String> variants() {
		Map<String, String> variants = new LinkedHashMap<>();
		variants.put(OFF, "steady.server.enabled=false");
		variants.put(OFF_AGAIN, "steady.server.enabled=false");
		variants.put("core: time limits, cap, 408", "steady.server.advertise-keep-alive=false," + NO_TCP);
		variants.put("core + Keep-Alive header", NO_TCP);
		variants.put("core + TCP keep-alive", "steady.server.advertise-keep-alive=false");
		variants.put("steady.server on (defaults)", "");
		return variants;
	}

	/**
	 * Start the process of servers, load them and stop it, {@code forks} times.
	 * @return every variant's runs, in round order, fork after fork
	 * @throws IOException if a process could not be started
	 * @throws InterruptedException if interrupted while waiting for one
	 */
	Map<String, List<WrkRun.Result>> run() throws IOException, InterruptedException {
		Map<String, List<WrkRun.Result>> results = new LinkedHashMap<>();
		VARIANTS.keySet().forEach((name) -> results.put(name, new ArrayList<>()));
		for (int fork = 0; fork < this.settings.forks(); fork++) {
			runFork(results);
		}
		return results;
	}

	private void runFork(Map<String, List<WrkRun.Result>> results) throws IOException, InterruptedException {
		Process servers = start(List.copyOf(VARIANTS.values()));
		try {
			Map<String, String> urls = urls(servers);
			for (String url : urls.values()) {
				WrkRun.run(servers, url, this.settings.connections(), this.settings.warmup());
			}
			for (int round = 0; round < this.settings.rounds(); round++) {
				List<String> order = new ArrayList<>(urls.keySet());
				if (round % 2 == 1) {
					Collections.reverse(order);
				}
				for (String name : order) {
					results.get(name)
						.add(WrkRun.run(servers, urls.get(name), this.settings.connections(), this.settings.duration()));
				}
			}
		}
		finally {
			servers.getOutputStream().close();
			servers.destroy();
			servers.waitFor();
		}
	}

	private static Process start(List<String> variants) throws IOException {
		return BenchmarkJvm.start(List.of("-Xms512m", "-Xmx512m"), ServerUnderLoad.class, variants);
	}

	/** Each variant's URL, from the ports the process prints in the order of the variants. */
	private static Map<String, String> urls(Process servers) throws IOException {
		BufferedReader output = new BufferedReader(
				new InputStreamReader(servers.getInputStream(), StandardCharsets.UTF_8));
		Map<String, String> urls = new LinkedHashMap<>();
		Iterator<String> names = VARIANTS.keySet().iterator();
		StringBuilder seen = new StringBuilder();
		for (String line = output.readLine(); line != null; line = output.readLine()) {
			if (line.startsWith(ServerUnderLoad.PORT)) {
				urls.put(names.next(), "http://127.0.0.1:" + line.substring(ServerUnderLoad.PORT.length())
						+ ServerUnderLoad.PATH);
				if (!names.hasNext()) {
					return urls;
				}
			}
			else {
				seen.append(line).append('\n');
			}
		}
		throw new IllegalStateException("Servers under load exited before they all started:\n" + seen);
	}

	/**
	 * The runs as a console table: medians per variant and the medians of the ratios to
	 * {@link #OFF} within each round.
	 * @param results every variant's runs, in round order
	 * @return the table
	 */
	static String render(Map<String, List<WrkRun.Result>> results) {
		String row = "   %-34s %9s %8s %11s %12s %10s %12s%n";
		StringBuilder table = new StringBuilder(String.format(row, "server", "req/s", "p99 ms", "CPU us/req",
				"req/s ratio", "p99 ratio", "CPU ratio"));
		List<WrkRun.Result> baseline = results.get(OFF);
		results.forEach((name, runs) -> table.append(String.format(row, name,
				String.format("%.0f", median(runs, WrkRun.Result::requestsPerSecond)),
				String.format("%.2f", median(runs, WrkRun.Result::p99Millis)),
				String.format("%.1f", median(runs, WrkRun.Result::cpuMicrosPerRequest)),
				ratio(runs, baseline, WrkRun.Result::requestsPerSecond), ratio(runs, baseline, WrkRun.Result::p99Millis),
				ratio(runs, baseline, WrkRun.Result::cpuMicrosPerRequest))));
		results.forEach((name, runs) -> runs.stream()
			.map(WrkRun.Result::errors)
			.filter((errors) -> !errors.isEmpty())
			.findFirst()
			.ifPresent((errors) -> table.append("   ").append(name).append(": wrk reported ").append(errors)
				.append(System.lineSeparator())));
		return table.toString();
	}

	private static double median(List<WrkRun.Result> runs, ToDoubleFunction<WrkRun.Result> figure) {
		return Median.of(runs.stream().map(figure::applyAsDouble).toList());
	}

	private static String ratio(List<WrkRun.Result> runs, List<WrkRun.Result> baseline,
			ToDoubleFunction<WrkRun.Result> figure) {
		List<Double> ratios = Stream.iterate(0, (round) -> round + 1)
			.limit(runs.size())
			.map((round) -> figure.applyAsDouble(runs.get(round)) / figure.applyAsDouble(baseline.get(round)))
			.toList();
		return String.format("%.3f", Median.of(ratios));
	}

	/**
	 * What the server section runs, read from system properties; an unset or empty property
	 * keeps its default.
	 *
	 * @param warmup {@code bench.server.warmup}: first run of each variant, not measured
	 * @param duration {@code bench.server.duration}: one measured run
	 * @param rounds {@code bench.server.rounds}: measured runs of each variant per fork
	 * @param connections {@code bench.server.connections}: connections wrk keeps open
	 * @param forks {@code bench.server.forks}: times the process of servers is started afresh
	 */
	record ServerBenchmarkSettings(Duration warmup, Duration duration, int rounds, int connections, int forks) {

		ServerBenchmarkSettings {
			if (rounds < 1 || connections < 1 || forks < 1) {
				throw new IllegalArgumentException("bench.server.rounds, bench.server.connections and "
						+ "bench.server.forks must be at least 1");
			}
		}

		static ServerBenchmarkSettings fromSystemProperties() {
			return new ServerBenchmarkSettings(BenchmarkSettings.duration("bench.server.warmup", "6s"),
					BenchmarkSettings.duration("bench.server.duration", "3s"),
					BenchmarkSettings.number("bench.server.rounds", "4"),
					BenchmarkSettings.number("bench.server.connections", "128"),
					BenchmarkSettings.number("bench.server.forks", "2"));
		}

	}

}
