package dev.steady.sample.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import reactor.core.scheduler.Schedulers;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One client kind of the client section, in a JVM of its own, as a user's application has
 * it: {@link MinimalApplication} with or without Steady's auto-configurations, and a
 * {@code WebClient} built from its {@code WebClient.Builder} ({@value #BUILDER}) or by hand
 * with {@code WebClient.create()} ({@value #CREATE}), which in a Steady application is on
 * Steady's global pool, or a {@code RestClient} built from its {@code RestClient.Builder}
 * ({@value #REST_CLIENT}), each blocking call on a worker thread of its own. Arguments: the
 * upstream's URL, {@code steady} or {@code boot}, {@value #BUILDER}, {@value #CREATE} or
 * {@value #REST_CLIENT}, then properties ({@code key=value}). Prints {@value #READY}
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

	/** The client comes from the application's {@code RestClient.Builder}. */
	static final String REST_CLIENT = "restclient";

	/** Most blocking calls in flight at once: worker threads of a {@code RestClient}. */
	private static final int MAX_WORKERS = 1024;

	/** Start of the line that carries a measured run. */
	static final String RESULT = "client-result=";

	private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

	private ClientUnderLoad() {
	}

	public static void main(String[] args) throws IOException {
		boolean steady = "steady".equals(args[1]);
		String[] properties = Arrays.copyOfRange(args, 3, args.length);
		try (ConfigurableApplicationContext context = MinimalApplication.start(WebApplicationType.NONE, steady,
				properties)) {
			LoadTarget target = target(context, args[1], args[2], args[0]);
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

	private static LoadTarget target(ConfigurableApplicationContext context, String name, String source, String url) {
		if (REST_CLIENT.equals(source)) {
			return LoadTarget.of(name, context.getBean(RestClient.Builder.class).build(), url,
					Schedulers.newBoundedElastic(MAX_WORKERS, Integer.MAX_VALUE, "restclient-worker"));
		}
		WebClient client = CREATE.equals(source) ? WebClient.create() : context.getBean(WebClient.Builder.class).build();
		return LoadTarget.of(name, client, url);
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
