package dev.steady.sample.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.steady.sample.demo.ClientReport;
import dev.steady.sample.demo.ComparisonTable;
import reactor.netty.http.HttpProtocol;

/**
 * What Steady costs and what it saves, printed as a table: throughput and latency of Steady's
 * {@code WebClient} against a bare Reactor Netty client on loopback, the cost of the retry
 * filter, failures in the burst scenario against the sample's unfriendly upstream, the
 * context start time Steady adds, and what Steady's server features cost under {@code wrk}. Run it with
 * {@code ./mvnw -pl sample-app -am -P benchmark verify}; {@link BenchmarkSettings} lists the
 * system properties that size it.
 */
public final class SteadyBenchmark {

	private static final String LINE = System.lineSeparator();

	private SteadyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSettings settings = BenchmarkSettings.fromSystemProperties();
		StringBuilder report = new StringBuilder(header(settings));
		try (FastUpstream upstream = new FastUpstream(); BenchmarkClients clients = new BenchmarkClients()) {
			if (settings.runs("loopback")) {
				progress("1+2. loopback throughput and latency");
				ThroughputBenchmark throughput = new ThroughputBenchmark(settings, upstream::connectionsOpened);
				Map<Integer, RoundResults> loopback = throughput.run(clients.loadTargets(upstream.url()));
				report.append(loopback(settings, clients.poolSize(), loopback));
				report.append(connections("during all warm-ups and runs (continuous load)", throughput.connectionsOpened()));
				report.append(new ContinuousLoadConnections(settings.warmup(), upstream::connectionsOpened)
					.run(clients.loadTargets(upstream.url()), settings.concurrencies()));
			}
			if (settings.runs("clients")) {
				ClientBenchmark.ClientBenchmarkSettings clientSettings = ClientBenchmark.ClientBenchmarkSettings
					.fromSystemProperties();
				progress("1b. Steady's client against Boot's, a JVM each, " + clientSettings.forks() + " x "
						+ clientSettings.rounds() + " rounds");
				ClientBenchmark section = new ClientBenchmark(clientSettings, upstream::connectionsOpened);
				report.append(clients(clientSettings, section.run(upstream.url())));
				report.append(connections("in the warm-ups just before the measured runs (pools refilled)",
						section.openedInWarmups()));
				report.append(connections("during the measured runs (continuous load)", section.openedInRuns()));
			}
			if (settings.runs("bursts")) {
				progress("3. bursts against the unfriendly upstream");
				report.append(bursts(settings, new BurstFailures(settings).run(clients)));
			}
			if (settings.runs("protocols")) {
				progress("6. h2c against HTTP/1.1");
				report.append(protocols(settings, clients));
			}
		}
		if (settings.runs("startup")) {
			progress("4. context start, " + settings.startups() + " cold starts with and without Steady");
			report.append(startup(new StartupComparison(settings.startups()).run()));
		}
		if (settings.runs("server")) {
			ServerBenchmark.ServerBenchmarkSettings serverSettings = ServerBenchmark.ServerBenchmarkSettings
				.fromSystemProperties();
			progress("5. server features under wrk, " + serverSettings.forks() + " x " + serverSettings.rounds()
					+ " rounds");
			report.append(server(serverSettings, new ServerBenchmark(serverSettings).run()));
		}
		System.out.println(report);
	}

	private static String header(BenchmarkSettings settings) {
		return "Steady benchmark, " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE)
				+ ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + LINE + "each client warmed up for " + settings.jitWarmup().toMillis()
				+ " ms, then runs of " + settings.duration().toMillis() + " ms each after " + settings.warmup().toMillis()
				+ " ms of warm-up, " + settings.rounds() + " rounds" + LINE + LINE;
	}

	private static String loopback(BenchmarkSettings settings, int poolSize, Map<Integer, RoundResults> results) {
		return "1. Loopback GET of a " + FastUpstream.BODY.length() + "-byte body, pools of " + poolSize
				+ " connections. Median of " + settings.rounds() + " rounds; ratios to " + BenchmarkClients.BARE
				+ " are medians of the ratios within each round (CPU: this process's CPU time per request, clients and"
				+ " upstream together)." + LINE
				+ ThroughputTable.render(results, BenchmarkClients.BARE) + LINE
				+ ratios("2. Retry filter when nothing fails", results, BenchmarkClients.STEADY,
						BenchmarkClients.STEADY_NO_RETRY)
				+ ratios("   Steady's own share", results, BenchmarkClients.STEADY, BenchmarkClients.BOOT);
	}

	private static String clients(ClientBenchmark.ClientBenchmarkSettings clientSettings,
			Map<Integer, RoundResults> results) {
		return "1b. Steady's client against Boot's builder, and WebClient.create() with and without Steady, each kind of"
				+ " client in a JVM of its own (an application with or without Steady's auto-configurations) against the"
				+ " same upstream; runs of " + clientSettings.duration().toMillis() + " ms after "
				+ clientSettings.warmup().toMillis() + " ms of warm-up, "
				+ clientSettings.rounds() + " rounds in alternating order, in each of " + clientSettings.forks()
				+ " sets of fresh JVMs, each client first warmed up for " + clientSettings.jitWarmup().toMillis()
				+ " ms. Medians; ratios to '" + ClientBenchmark.BOOT
				+ "' are medians of the ratios within each round (CPU: the client's JVM's CPU time per request); '"
				+ ClientBenchmark.BOOT_AGAIN + "' is the same client in another JVM, the run's noise floor." + LINE
				+ ThroughputTable.render(results, ClientBenchmark.BOOT) + LINE
				+ ratios("   Retry filter when nothing fails", results, ClientBenchmark.STEADY,
						ClientBenchmark.STEADY_NO_RETRY)
				+ ratios("   Hand-made clients", results, ClientBenchmark.HAND_MADE, ClientBenchmark.PLAIN)
				+ ratios("   RestClient (each blocking call on a worker thread)", results, ClientBenchmark.STEADY_REST,
						ClientBenchmark.BOOT_REST);
	}

	/** A titled table of one client's ratios to another's, {@code client / baseline}. */
	private static String ratios(String title, Map<Integer, RoundResults> results, String client, String baseline) {
		return title + ": " + client + " / " + baseline + LINE + ThroughputTable.ratios(results, client, baseline)
				+ LINE;
	}

	private static String connections(String when, Map<String, Integer> opened) {
		return "   Connections opened to the upstream " + when + ":" + LINE
				+ opened.entrySet()
					.stream()
					.map((client) -> String.format("   %-46s %8d%n", client.getKey(), client.getValue()))
					.collect(Collectors.joining())
				+ LINE;
	}

	private static String bursts(BenchmarkSettings settings, Map<String, ClientReport> reports) {
		return "3. Bursts against the sample's unfriendly upstream (forgets connections idle for 1 s): "
				+ settings.burstRequests() + " requests per client, GET and POST alternating, bursts of "
				+ settings.burstConcurrency() + ", " + settings.burstPause().toMillis() + " ms apart." + LINE
				+ "   plain = WebClient.create() without Steady, bare = bare HttpClient, steady = Steady defaults, "
				+ BenchmarkClients.HAND_MADE_COLUMN + " = WebClient.create() in the Steady application, " + LINE
				+ "   " + BenchmarkClients.SHORT_IDLE + " = Steady with max-idle-time 500ms" + LINE
				+ ComparisonTable.render(reports)
				+ String.format("%-22s", "failures per 10,000") + reports.values()
					.stream()
					.map((report) -> String.format("%12.0f", BurstFailures.perTenThousand(report)))
					.collect(Collectors.joining())
				+ LINE + LINE;
	}

	/** Section 6, on an upstream of its own speaking HTTP/1.1 and h2c, as the server of an application would. */
	private static String protocols(BenchmarkSettings settings, BenchmarkClients clients) {
		try (FastUpstream both = new FastUpstream(HttpProtocol.HTTP11, HttpProtocol.H2C)) {
			ThroughputBenchmark throughput = new ThroughputBenchmark(settings, both::connectionsOpened);
			Map<Integer, RoundResults> results = throughput.run(clients.protocolTargets(both.url()));
			return "6. The same GET, Steady's default client against one speaking h2c, on one upstream speaking both"
					+ " (HTTP/1.1 and h2c with prior knowledge). Median of " + settings.rounds() + " rounds; ratios to '"
					+ BenchmarkClients.STEADY_HTTP11 + "' are medians of the ratios within each round." + LINE
					+ ThroughputTable.render(results, BenchmarkClients.STEADY_HTTP11) + LINE
					+ ratios("   Steady's share on h2c", results, BenchmarkClients.STEADY_H2C, BenchmarkClients.BARE_H2C)
					+ ratios("   Steady's share on HTTP/1.1", results, BenchmarkClients.STEADY_HTTP11,
							BenchmarkClients.BARE_HTTP11)
					+ connections("during all warm-ups and runs", throughput.connectionsOpened());
		}
	}

	private static String startup(StartupComparison.StartupTimes times) {
		return "4. Context start of a minimal reactive web application, a new JVM per start, "
				+ times.withSteady().size() + " starts each; CPU: the JVM's CPU time by the end of the start" + LINE
				+ startups("with Steady    ", times.withSteady())
				+ startups("without Steady ", times.withoutSteady())
				+ String.format("   Steady adds %.0f ms, and %.0f ms of CPU (medians of the differences within each pair "
						+ "of starts)%n", times.medianPairDifference(StartupComparison.Start::millis),
						times.medianPairDifference(StartupComparison.Start::cpuMillis))
				+ String.format("   of which %.0f ms of the main thread's CPU, and %.0f classes loaded%n",
						times.medianPairDifference(StartupComparison.Start::mainThreadCpuMillis),
						times.medianPairDifference(StartupComparison.Start::classes));
	}

	private static String startups(String label, List<StartupComparison.Start> starts) {
		List<Long> millis = starts.stream().map(StartupComparison.Start::millis).toList();
		List<Long> cpuMillis = starts.stream().map(StartupComparison.Start::cpuMillis).toList();
		return String.format("   %s median %6.0f ms  %s%n", label, Median.of(millis), millis)
				+ String.format("   %s   CPU %6.0f ms  %s%n", " ".repeat(label.length()), Median.of(cpuMillis),
						cpuMillis);
	}

	private static String server(ServerBenchmark.ServerBenchmarkSettings settings,
			Map<String, List<WrkRun.Result>> results) {
		return LINE + "5. Server: wrk -t1 -c" + settings.connections() + " in a process of its own against GET "
				+ ServerUnderLoad.PATH + " of the minimal application, a context per variant, all in one JVM, runs of "
				+ settings.duration().toMillis() + " ms after one of " + settings.warmup().toMillis() + " ms, "
				+ settings.rounds() + " rounds in alternating order, in each of " + settings.forks()
				+ " fresh JVMs. Medians; ratios to '" + ServerBenchmark.OFF
				+ "' are medians of the ratios within each round (CPU: the server process's CPU time per request); '"
				+ ServerBenchmark.OFF_AGAIN + "' is the same server in another context, the run's noise floor."
				+ LINE + ServerBenchmark.render(results);
	}

	private static void progress(String message) {
		System.err.println(message);
	}

}
