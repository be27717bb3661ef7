package dev.steady.autoconfigure.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The process's limit of open files (the soft limit in force, which the JVM may have raised
 * at startup), and the connection cap Steady derives from it. Read from
 * {@code /proc/self/limits} where there is one (Linux), which costs a file read; elsewhere
 * from the JVM's operating-system MXBean, whose first use initializes the JVM's management
 * classes, tens of milliseconds of startup.
 */
final class OpenFileLimit {

	/** Connection cap when the open-file limit cannot be read. */
	static final int FALLBACK_MAX_CONNECTIONS = 10_000;

	private static final Path PROC_LIMITS = Path.of("/proc/self/limits");

	private static final String MAX_OPEN_FILES = "Max open files";

	private OpenFileLimit() {
	}

	/**
	 * Read the open-file limit of this process.
	 * @return the limit, or empty on a platform that does not report it
	 */
	static OptionalLong read() {
		if (Files.isReadable(PROC_LIMITS)) {
			try {
				return fromProcLimits(Files.readAllLines(PROC_LIMITS));
			}
			catch (IOException | RuntimeException ex) {
				// fall back to the JVM's view below
			}
		}
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
			return OptionalLong.of(unix.getMaxFileDescriptorCount());
		}
		return OptionalLong.empty();
	}

	/**
	 * The soft limit on the {@value #MAX_OPEN_FILES} line of Linux's
	 * {@code /proc/<pid>/limits}.
	 * @param lines the file's lines
	 * @return the limit, or empty when the line is missing or says "unlimited"
	 */
	static OptionalLong fromProcLimits(List<String> lines) {
		for (String line : lines) {
			if (line.startsWith(MAX_OPEN_FILES)) {
				String soft = line.substring(MAX_OPEN_FILES.length()).trim().split("\\s+")[0];
				return soft.matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(soft)) : OptionalLong.empty();
			}
		}
		return OptionalLong.empty();
	}

	/**
	 * Connection cap leaving a fifth of the file descriptors to everything else.
	 * @param limit the open-file limit, or empty when unknown
	 * @return 80% of the limit, or {@value #FALLBACK_MAX_CONNECTIONS} when unknown
	 */
	static int maxConnections(OptionalLong limit) {
		if (limit.isEmpty()) {
			return FALLBACK_MAX_CONNECTIONS;
		}
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.getAsLong() * 8 / 10));
	}

}
