package dev.steady.sample.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Context start time with and without Steady's auto-configurations: each start runs a
 * {@link StartupProbe} in a new JVM, so every start is a cold one as in production. Starts
 * alternate in the order with, without, without, with, so that a drift of the machine's
 * load touches both sides alike; one start of each, first, warms the file cache and is not
 * counted.
 */
final class StartupComparison {

	private final int startups;

	StartupComparison(int startups) {
		this.startups = startups;
	}

	/**
	 * Measure the starts.
	 * @return the start times of both kinds
	 * @throws IOException if a JVM could not be started
	 * @throws InterruptedException if interrupted while waiting for one
	 */
	StartupTimes run() throws IOException, InterruptedException {
		startOnce(true);
		startOnce(false);
		List<Long> withSteady = new ArrayList<>();
		List<Long> withoutSteady = new ArrayList<>();
		for (int pair = 0; pair < this.startups; pair++) {
			boolean steadyFirst = pair % 2 == 0;
			(steadyFirst ? withSteady : withoutSteady).add(startOnce(steadyFirst));
			(steadyFirst ? withoutSteady : withSteady).add(startOnce(!steadyFirst));
		}
		return new StartupTimes(withSteady, withoutSteady);
	}

	private static long startOnce(boolean steady) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				StartupProbe.class.getName(), String.valueOf(steady))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		return output.lines()
			.filter((line) -> line.startsWith(StartupProbe.RESULT))
			.map((line) -> Long.parseLong(line.substring(StartupProbe.RESULT.length())))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Startup probe exited with " + exit + ":\n" + output));
	}

	/**
	 * Start times in milliseconds, in the order measured: the starts of the same index ran
	 * one after the other.
	 *
	 * @param withSteady starts with Steady's auto-configurations
	 * @param withoutSteady starts with them excluded
	 */
	record StartupTimes(List<Long> withSteady, List<Long> withoutSteady) {

		/**
		 * Median of the differences within each pair of starts, the figure least moved by
		 * the machine's load changing between pairs.
		 * @return the median difference in milliseconds, positive when Steady adds time
		 */
		double medianPairDifference() {
			return Median.of(IntStream.range(0, this.withSteady.size())
				.mapToObj((pair) -> this.withSteady.get(pair) - this.withoutSteady.get(pair))
				.toList());
		}

	}

}
