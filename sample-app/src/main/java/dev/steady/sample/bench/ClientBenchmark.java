package dev.steady.sample.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Steady's {@code WebClient} against Spring Boot's {@code WebClient.Builder} without Steady,
 * and {@code WebClient.create()} with and without Steady, each kind of client in a JVM of its
 * own ({@link ClientUnderLoad}), as applications would have them, against the benchmark's
 * upstream in this JVM. In one JVM the clients share
 * Reactor's and Netty's compiled code, and each one run deoptimises what the one before had
 * compiled; here each JVM compiles for its own client only.
 * <p>
 * All the JVMs are started together and each is warmed up at the highest concurrency until it
 * has settled (its JIT compiler is quiet, and two runs in a row cost the same CPU per request):
 * a service runs for hours, and
 * the first seconds of a JVM measure its compiler, not the code it compiles. Then in each round every client runs once at each concurrency, in an order reversed from
 * round to round, and its ratios to Boot's builder are taken within the round. As two JVMs of
 * the same code can settle at different speeds, the whole set is started afresh {@code forks}
 * times, and Boot's builder runs a second time in a JVM of its own: its ratio to the first is
 * the run's noise floor.
 */
final class ClientBenchmark {

	/** The baseline of every ratio. */
	static final String BOOT = BenchmarkClients.BOOT;

	/** The same as the baseline in another JVM: the noise floor. */
	static final String BOOT_AGAIN = BOOT + ", other JVM";

	static final String STEADY = BenchmarkClients.STEADY;

	static final String STEADY_NO_RETRY = BenchmarkClients.STEADY_NO_RETRY;

	/** Boot's {@code RestClient.Builder} in an application without Steady. */
	static final String BOOT_REST = "Boot RestClient.Builder, no Steady";

	/** Boot's {@code RestClient.Builder} in a Steady application. */
	static final String STEADY_REST = "Steady RestClient";

	/** {@code WebClient.create()} in an application without Steady. */
	static final String PLAIN = BenchmarkClients.PLAIN;

	/** {@code WebClient.create()} in a Steady application, on Steady's global pool. */
	static final String HAND_MADE = BenchmarkClients.HAND_MADE;

	/**
	 * Kind ({@code steady} or {@code boot}), source ({@code builder} or {@code create}) and
	 * properties of each client, the baseline first.
	 */
	private static final Map<String, List<String>> CLIENTS = clients();

	/**
	 * One Reactor Netty event loop in every client's JVM, so that all clients' connections sit
	 * alike. With more, where a pool's connections land depends on which thread opened them
	 * (Reactor Netty opens a connection on the loop that asks for it): Boot's pool, filled once,
	 * kept all its connections on one loop, while Steady's, refilled after evicting idle
	 * connections while the other JVMs ran, sometimes spread them over two; on two cores
	 * shared with the upstream the second busy loop only competed with it, and the same code
	 * measured 0.71 to 1.08 of Boot's throughput depending on where its connections were.
	 */
	private static final String ONE_EVENT_LOOP = "-Dreactor.netty.ioWorkerCount=1";

	/** Length of each warm-up run after the first. */
	private static final Duration SETTLING_RUN = Duration.ofSeconds(3);

	/** Most warm-up runs after the first. */
	private static final int MAX_SETTLING_RUNS = 10;

	/** Largest share of a warm-up run the JIT compiler of a settled client may take. */
	private static final double QUIET_COMPILER = 0.02;

	/** Largest change of CPU per request between two warm-up runs of a settled client. */
	private static final double SETTLED = 0.05;

	private final ClientBenchmarkSettings settings;

	private final IntSupplier upstreamConnections;

	private final Map<String, Integer> openedInWarmups = new LinkedHashMap<>();

	private final Map<String, Integer> openedInRuns = new LinkedHashMap<>();

	/**
	 * Create the section.
	 * @param settings its own settings
	 * @param upstreamConnections connections the upstream accepted so far
	 */
	ClientBenchmark(ClientBenchmarkSettings settings, IntSupplier upstreamConnections) {
		this.settings = settings;
		this.upstreamConnections = upstreamConnections;
	}

	/**
	 * Connections each client opened in the warm-ups just before its measured runs, over all
	 * forks: mostly connections its pool evicted while the other clients ran.
	 * @return the count per client
	 */
	Map<String, Integer> openedInWarmups() {
		return this.openedInWarmups;
	}

	/**
	 * Connections each client opened during its measured runs, under continuous load, over all
	 * forks.
	 * @return the count per client
	 */
	Map<String, Integer> openedInRuns() {
		return this.openedInRuns;
	}

	private static Map<String, List<String>> clients() {
		Map<String, List<String>> clients = new LinkedHashMap<>();
		clients.put(BOOT, List.of("boot", ClientUnderLoad.BUILDER));
		clients.put(BOOT_AGAIN, List.of("boot", ClientUnderLoad.BUILDER));
		clients.put(STEADY, List.of("steady", ClientUnderLoad.BUILDER));
		clients.put(STEADY_NO_RETRY,
				List.of("steady", ClientUnderLoad.BUILDER, "steady.client-defaults.retry.enabled=false"));
		clients.put(PLAIN, List.of("boot", ClientUnderLoad.CREATE));
		clients.put(HAND_MADE, List.of("steady", ClientUnderLoad.CREATE));
		clients.put(BOOT_REST, List.of("boot", ClientUnderLoad.REST_CLIENT));
		clients.put(STEADY_REST, List.of("steady", ClientUnderLoad.REST_CLIENT));
		return clients;
	}

	/**
	 * Start the clients' JVMs, load the upstream through each in turn, and stop them,
	 * {@code forks} times.
	 * @param url the upstream
	 * @return the runs at each concurrency, every client's in round order, fork after fork
	 * @throws IOException if a process could not be started or stopped answering
	 * @throws InterruptedException if interrupted while waiting for one
	 */
	Map<Integer, RoundResults> run(String url) throws IOException, InterruptedException {
		Map<Integer, RoundResults> results = new LinkedHashMap<>();
		this.settings.concurrencies().forEach((concurrency) -> results.put(concurrency, new RoundResults()));
		for (int fork = 0; fork < this.settings.forks(); fork++) {
			runFork(url, results);
			progress("fork " + (fork + 1) + " of " + this.settings.forks() + " done");
		}
		return results;
	}

	private void runFork(String url, Map<Integer, RoundResults> results) throws IOException, InterruptedException {
		Map<String, ClientProcess> clients = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, List<String>> client : CLIENTS.entrySet()) {
				clients.put(client.getKey(), ClientProcess.start(url, client.getValue()));
			}
			for (ClientProcess client : clients.values()) {
				client.awaitReady();
			}
			int highest = Collections.max(this.settings.concurrencies());
			for (Map.Entry<String, ClientProcess> client : clients.entrySet()) {
				warmUntilSettled(client.getKey(), client.getValue(), highest);
			}
			for (int round = 0; round < this.settings.rounds(); round++) {
				List<String> order = new ArrayList<>(clients.keySet());
				if (round % 2 == 1) {
					Collections.reverse(order);
				}
				for (int concurrency : this.settings.concurrencies()) {
					for (String name : order) {
						results.get(concurrency).add(name, measure(name, clients.get(name), concurrency));
					}
				}
			}
		}
		finally {
			for (ClientProcess client : clients.values()) {
				client.stop();
			}
		}
	}

	/**
	 * One measured run of a client after a warm-up of its own, counting the connections it
	 * opened in each.
	 */
	private LoadResult measure(String name, ClientProcess client, int concurrency) throws IOException {
		int beforeWarmup = this.upstreamConnections.getAsInt();
		if (!this.settings.warmup().isZero()) {
			client.run(concurrency, this.settings.warmup());
		}
		int beforeRun = this.upstreamConnections.getAsInt();
		LoadResult result = client.run(concurrency, this.settings.duration()).result();
		this.openedInWarmups.merge(name, beforeRun - beforeWarmup, Integer::sum);
		this.openedInRuns.merge(name, this.upstreamConnections.getAsInt() - beforeRun, Integer::sum);
		return result;
	}

	/**
	 * Warm a client's JVM up for {@code bench.clients.jit-warmup}, then in further runs until
	 * its JIT compiler is quiet (it compiled for less than {@value #QUIET_COMPILER} of a run)
	 * and two runs in a row cost the same CPU per request within {@value #SETTLED}, or until
	 * {@value #MAX_SETTLING_RUNS} further runs: on a busy machine the compiler's threads get
	 * less of the cores and take longer.
	 */
	private void warmUntilSettled(String name, ClientProcess client, int concurrency) throws IOException {
		ClientUnderLoad.ClientRun last = client.run(concurrency, this.settings.jitWarmup());
		Duration warmedUp = this.settings.jitWarmup();
		for (int run = 0; run < MAX_SETTLING_RUNS; run++) {
			ClientUnderLoad.ClientRun next = client.run(concurrency, SETTLING_RUN);
			warmedUp = warmedUp.plus(SETTLING_RUN);
			double cpuChange = next.result().cpuMicrosPerRequest() / last.result().cpuMicrosPerRequest() - 1;
			last = next;
			if (next.compileMillis() < QUIET_COMPILER * SETTLING_RUN.toMillis() && Math.abs(cpuChange) < SETTLED) {
				break;
			}
		}
		progress(name + ": warmed up for " + warmedUp.toSeconds() + " s, then " + Math.round(
				last.result().cpuMicrosPerRequest()) + " us of CPU per request, " + last.compileMillis() + " ms compiling");
	}

	private static void progress(String message) {
		System.err.println("  " + message);
	}

	/** One {@link ClientUnderLoad} process, driven through its standard input and output. */
	private static final class ClientProcess {

		private final Process process;

		private final PrintWriter commands;

		private final BufferedReader output;

		private ClientProcess(Process process) {
			this.process = process;
			this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
			this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		}

		static ClientProcess start(String url, List<String> arguments) throws IOException {
			List<String> urlAndArguments = new ArrayList<>(List.of(url));
			urlAndArguments.addAll(arguments);
			return new ClientProcess(
					BenchmarkJvm.start(List.of("-Xms512m", "-Xmx512m", ONE_EVENT_LOOP), ClientUnderLoad.class,
							urlAndArguments));
		}

		void awaitReady() throws IOException {
			awaitLine(ClientUnderLoad.READY);
		}

		ClientUnderLoad.ClientRun run(int concurrency, Duration duration) throws IOException {
			this.commands.println(concurrency + " " + duration.toMillis());
			return ClientUnderLoad.parse(awaitLine(ClientUnderLoad.RESULT).substring(ClientUnderLoad.RESULT.length()));
		}

		private String awaitLine(String start) throws IOException {
			StringBuilder seen = new StringBuilder();
			for (String line = this.output.readLine(); line != null; line = this.output.readLine()) {
				if (line.startsWith(start)) {
					return line;
				}
				seen.append(line).append('\n');
			}
			throw new IllegalStateException("Client under load exited before '" + start + "':\n" + seen);
		}

		void stop() throws InterruptedException {
			this.commands.close();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroy();
				this.process.waitFor();
			}
		}

	}

	/**
	 * What the client section runs, read from system properties; an unset or empty property
	 * keeps its default.
	 *
	 * @param concurrencies {@code bench.clients.concurrency}: requests in flight together
	 * @param rounds {@code bench.clients.rounds}: measured runs of each client at each
	 * concurrency, per fork
	 * @param forks {@code bench.clients.forks}: times every client's JVM is started afresh
	 * @param jitWarmup {@code bench.clients.jit-warmup}: first, unmeasured run of each client's
	 * JVM, at the highest concurrency
	 * @param warmup {@code bench.clients.warmup}: run of the same client just before each
	 * measured run, long enough for a pool that evicted its idle connections while the other
	 * clients ran to open them again, as a service under continuous load never has to
	 * @param duration {@code bench.clients.duration}: length of a measured run
	 */
	record ClientBenchmarkSettings(List<Integer> concurrencies, int rounds, int forks, Duration jitWarmup,
			Duration warmup, Duration duration) {

		ClientBenchmarkSettings {
			if (rounds < 1 || forks < 1 || concurrencies.isEmpty()
					|| concurrencies.stream().anyMatch((concurrency) -> concurrency < 1)) {
				throw new IllegalArgumentException(
						"bench.clients.concurrency, bench.clients.rounds and bench.clients.forks must be at least 1");
			}
		}

		static ClientBenchmarkSettings fromSystemProperties() {
			return new ClientBenchmarkSettings(BenchmarkSettings.numbers("bench.clients.concurrency", "64,512"),
					BenchmarkSettings.number("bench.clients.rounds", "3"),
					BenchmarkSettings.number("bench.clients.forks", "2"),
					BenchmarkSettings.duration("bench.clients.jit-warmup", "10s"),
					BenchmarkSettings.duration("bench.clients.warmup", "2s"),
					BenchmarkSettings.duration("bench.clients.duration", "3s"));
		}

	}

}
