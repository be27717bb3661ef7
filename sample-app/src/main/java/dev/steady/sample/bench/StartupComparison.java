package dev.steady.sample.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
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
		List<Start> withSteady = new ArrayList<>();
		List<Start> withoutSteady = new ArrayList<>();
		for (int pair = 0; pair < this.startups; pair++) {
			boolean steadyFirst = pair % 2 == 0;
			(steadyFirst ? withSteady : withoutSteady).add(startOnce(steadyFirst));
			(steadyFirst ? withoutSteady : withSteady).add(startOnce(!steadyFirst));
		}
		return new StartupTimes(withSteady, withoutSteady);
	}

	private static Start startOnce(boolean steady) throws IOException, InterruptedException {
		Process process = BenchmarkJvm.start(List.of(), StartupProbe.class, List.of(String.valueOf(steady)));
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		return new Start(valueOf(StartupProbe.RESULT, output, exit), valueOf(StartupProbe.CPU, output, exit),
				valueOf(StartupProbe.MAIN_THREAD_CPU, output, exit), valueOf(StartupProbe.CLASSES, output, exit));
	}

	private static long valueOf(String prefix, String output, int exit) {
		return output.lines()
			.filter((line) -> line.startsWith(prefix))
			.map((line) -> Long.parseLong(line.substring(prefix.length())))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Startup probe exited with " + exit + ":\n" + output));
	}

	/**
	 * One start.
	 *
	 * @param millis how long the context took to start
	 * @param cpuMillis CPU time the JVM had used by then, every thread of it: on a machine
	 * shared with other work, the figure least moved by that work
	 * @param mainThreadCpuMillis CPU time of the thread that ran the start, without the
	 * compiler's and the garbage collector's threads
	 * @param classes classes the JVM had loaded by then
	 */
	record Start(long millis, long cpuMillis, long mainThreadCpuMillis, long classes) {
	}

	/**
	 * The starts, in the order measured: the starts of the same index ran one after the
	 * other.
	 *
	 * @param withSteady starts with Steady's auto-configurations
	 * @param withoutSteady starts with them excluded
	 */
	record StartupTimes(List<Start> withSteady, List<Start> withoutSteady) {

		/**
		 * Median of the differences within each pair of starts, the figure least moved by
		 * the machine's load changing between pairs.
		 * @param figure the figure of a start compared
		 * @return the median difference in milliseconds, positive when Steady adds time
		 */
		double medianPairDifference(ToLongFunction<Start> figure) {
			return Median.of(IntStream.range(0, this.withSteady.size())
				.mapToObj((pair) -> figure.applyAsLong(this.withSteady.get(pair))
						- figure.applyAsLong(this.withoutSteady.get(pair)))
				.toList());
		}

	}

}
