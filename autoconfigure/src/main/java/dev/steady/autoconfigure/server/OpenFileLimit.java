package dev.steady.autoconfigure.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The process's limit of open files, as the JVM reports it (the soft limit in force, which
 * the JVM may have raised at startup), and the connection cap Steady derives from it.
 */
final class OpenFileLimit {

	/** Connection cap when the open-file limit cannot be read. */
	static final int FALLBACK_MAX_CONNECTIONS = 10_000;

	private OpenFileLimit() {
	}

	/**
	 * Read the open-file limit of this process.
	 * @return the limit, or empty on a platform that does not report it
	 */
	static OptionalLong read() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
			return OptionalLong.of(unix.getMaxFileDescriptorCount());
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
