package dev.steady.sample.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the benchmark runs, read from system properties such as {@code -Dbench.rounds=3}. An
 * unset or empty property keeps its default.
 *
 * @param jitWarmup {@code bench.jit-warmup}: run of each client, at the highest concurrency,
 * before any measurement
 * @param duration {@code bench.duration}: length of one measured run
 * @param warmup {@code bench.warmup}: warm-up of the same client before each measured run
 * @param rounds {@code bench.rounds}: measured runs of each client at each concurrency
 * @param concurrencies {@code bench.concurrency}: requests in flight together, comma-separated
 * @param burstRequests {@code bench.burst.requests}: requests per client against the
 * unfriendly upstream
 * @param burstConcurrency {@code bench.burst.concurrency}: requests per burst
 * @param burstPause {@code bench.burst.pause}: pause between bursts, longer than the
 * upstream's idle timeout
 * @param startups {@code bench.startups}: context starts with and without Steady, each in a
 * new JVM
 * @param sections {@code bench.sections}: the sections to run, comma-separated, out of
 * {@code loopback} (sections 1 and 2), {@code clients}, {@code bursts}, {@code startup},
 * {@code server} and {@code protocols}
 */
record BenchmarkSettings(Duration jitWarmup, Duration duration, Duration warmup, int rounds,
		List<Integer> concurrencies, int burstRequests, int burstConcurrency, Duration burstPause, int startups,
		List<String> sections) {

	private static final List<String> SECTIONS = List.of("loopback", "clients", "bursts", "startup", "server",
			"protocols");

	BenchmarkSettings {
		if (rounds < 1 || burstRequests < 1 || burstConcurrency < 1 || startups < 1 || concurrencies.isEmpty()
				|| concurrencies.stream().anyMatch((concurrency) -> concurrency < 1)) {
			throw new IllegalArgumentException("bench.rounds, bench.concurrency, bench.burst.requests, "
					+ "bench.burst.concurrency and bench.startups must be at least 1");
		}
		if (sections.isEmpty() || !SECTIONS.containsAll(sections)) {
			throw new IllegalArgumentException("bench.sections " + sections + " must name sections out of " + SECTIONS);
		}
	}

	/**
	 * Whether a section runs.
	 * @param section one of {@code loopback}, {@code clients}, {@code bursts}, {@code startup},
	 * {@code server} and {@code protocols}
	 * @return whether {@code bench.sections} names it
	 */
	boolean runs(String section) {
		return this.sections.contains(section);
	}

	static BenchmarkSettings fromSystemProperties() {
		return new BenchmarkSettings(duration("bench.jit-warmup", "3s"), duration("bench.duration", "1s"),
				duration("bench.warmup", "500ms"), number("bench.rounds", "5"), numbers("bench.concurrency", "1,64,512"),
				number("bench.burst.requests", "3000"), number("bench.burst.concurrency", "500"),
				duration("bench.burst.pause", "1100ms"), number("bench.startups", "6"),
				list("bench.sections", String.join(",", SECTIONS)));
	}

	static Duration duration(String name, String defaultValue) {
		return DurationStyle.detectAndParse(property(name, defaultValue));
	}

	static int number(String name, String defaultValue) {
		return Integer.parseInt(property(name, defaultValue));
	}

	static List<Integer> numbers(String name, String defaultValue) {
		return list(name, defaultValue).stream().map(Integer::valueOf).toList();
	}

	private static List<String> list(String name, String defaultValue) {
		return Arrays.stream(property(name, defaultValue).split(",")).map(String::trim).toList();
	}

	private static String property(String name, String defaultValue) {
		String value = System.getProperty(name);
		return (value == null || value.isBlank()) ? defaultValue : value.trim();
	}

}
