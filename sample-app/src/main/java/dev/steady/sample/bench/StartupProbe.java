package dev.steady.sample.bench;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link MinimalApplication} once as a reactive web application on a free port, in
 * the JVM the benchmark forked for it, prints how long the start took, how much CPU time
 * the JVM had used by then (its own start, class loading and the compiler's work included),
 * how much of it the thread that ran the start used, and how many classes were loaded, and
 * exits. The only argument says whether Steady's auto-configurations apply
 * ({@code true}) or are excluded.
 */
public final class StartupProbe {

	/** Start of the line that carries the start's duration. */
	static final String RESULT = "context-start-ms=";

	/** Start of the line that carries the CPU time used up to the end of the start. */
	static final String CPU = "process-cpu-ms=";

	/** Start of the line that carries the CPU time of the thread that ran the start. */
	static final String MAIN_THREAD_CPU = "main-thread-cpu-ms=";

	/** Start of the line that carries the number of classes loaded by the end of the start. */
	static final String CLASSES = "classes-loaded=";

	private StartupProbe() {
	}

	public static void main(String[] args) {
		boolean steady = Boolean.parseBoolean(args[0]);
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = MinimalApplication.start(WebApplicationType.REACTIVE, steady,
				"server.port=0")) {
			System.out.println(RESULT + (System.nanoTime() - start) / 1_000_000);
			long mainThreadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			System.out.println(CPU + ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime() / 1_000_000);
			System.out.println(MAIN_THREAD_CPU + mainThreadCpu / 1_000_000);
			System.out.println(CLASSES + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
		}
	}

}
