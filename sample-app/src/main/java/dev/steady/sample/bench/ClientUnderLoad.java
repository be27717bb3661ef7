package dev.steady.sample.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One client kind of the client section, in a JVM of its own, as a user's application has
 * it: {@link MinimalApplication} with or without Steady's auto-configurations, and a
 * {@code WebClient} built from its {@code WebClient.Builder} ({@value #BUILDER}) or by hand
 * with {@code WebClient.create()} ({@value #CREATE}), which in a Steady application is on
 * Steady's global pool. Arguments: the upstream's URL, {@code steady} or {@code boot},
 * {@value #BUILDER} or {@value #CREATE}, then properties ({@code key=value}). Prints {@value #READY}
 * once started, then runs the closed-loop load each line of its standard input asks for
 * ({@code <concurrency> <duration ms>}) and prints the run on a line starting with
 * {@value #RESULT}, with the time the JIT compiler spent during it; exits when its input
 * closes.
 */
public final class ClientUnderLoad {

	/** The line that says the client is ready. */
	static final String READY = "client-ready";

	/** The client comes from the application's {@code WebClient.Builder}. */
	static final String BUILDER = "builder";

	/** The client is made by hand with {@code WebClient.create()}. */
	static final String CREATE = "create";

	/** Start of the line that carries a measured run. */
	static final String RESULT = "client-result=";

	private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

	private ClientUnderLoad() {
	}

	public static void main(String[] args) throws IOException {
		boolean steady = "steady".equals(args[1]);
		boolean handMade = CREATE.equals(args[2]);
		String[] properties = Arrays.copyOfRange(args, 3, args.length);
		try (ConfigurableApplicationContext context = MinimalApplication.start(WebApplicationType.NONE, steady,
				properties)) {
			WebClient client = handMade ? WebClient.create() : context.getBean(WebClient.Builder.class).build();
			LoadTarget target = LoadTarget.of(args[1], client, args[0]);
			System.out.println(READY);
			System.out.flush();
			BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String command = commands.readLine(); command != null; command = commands.readLine()) {
				String[] run = command.trim().split(" ");
				int concurrency = Integer.parseInt(run[0]);
				long compiledBefore = COMPILER.getTotalCompilationTime();
				LoadResult result = ClosedLoopLoad.run(target, concurrency, Duration.ofMillis(Long.parseLong(run[1])));
				System.out.println(RESULT + result.failed() + " " + result.requestsPerSecond() + " " + result.p50Millis()
						+ " " + result.p99Millis() + " " + result.cpuMicrosPerRequest() + " "
						+ (COMPILER.getTotalCompilationTime() - compiledBefore));
				System.out.flush();
			}
		}
	}

	/**
	 * Read a measured run from the line {@link #main} printed.
	 * @param line the line, after {@link #RESULT}
	 * @return the run
	 */
	static ClientRun parse(String line) {
		String[] figures = line.split(" ");
		return new ClientRun(new LoadResult(Long.parseLong(figures[0]), Double.parseDouble(figures[1]),
				Double.parseDouble(figures[2]), Double.parseDouble(figures[3]), Double.parseDouble(figures[4])),
				Long.parseLong(figures[5]));
	}

	/**
	 * A measured run and the JIT compiler's time during it.
	 *
	 * @param result what the run achieved
	 * @param compileMillis milliseconds the JVM's JIT compilers spent during the run
	 */
	record ClientRun(LoadResult result, long compileMillis) {

	}

}
