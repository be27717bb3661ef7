package dev.steady.sample.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a class of the benchmark in a JVM of its own, on the benchmark's own Java and
 * class path, its standard error merged into its standard output.
 */
final class BenchmarkJvm {

	private BenchmarkJvm() {
	}

	/**
	 * Start a JVM.
	 * @param options JVM options, such as the heap's size
	 * @param main the class whose {@code main} runs
	 * @param arguments its arguments
	 * @return the running process
	 * @throws IOException if it could not be started
	 */
	static Process start(List<String> options, Class<?> main, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(options);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(arguments);
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

}
