package dev.steady.testserver;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * How many instances of some classes the JVM holds, counted as {@code jcmd GC.class_histogram}
 * counts them: after a full collection, so only what is still reachable.
 */
public final class LiveInstances {

	private LiveInstances() {
	}

	/**
	 * Count the live instances of classes.
	 * @param classNames the classes' binary names, such as {@code a.b.Outer$Inner}
	 * @return the count per class name, 0 for a class with none
	 */
	public static Map<String, Long> of(Set<String> classNames) {
		Map<String, Long> counts = new HashMap<>();
		classNames.forEach((name) -> counts.put(name, 0L));
		for (String line : histogram().split("\n")) {
			// "  12:   345   8280  dev.steady.client.internal.ProvenIdle"
			String[] columns = line.trim().split("\\s+");
			if (columns.length >= 4 && counts.containsKey(columns[3])) {
				counts.put(columns[3], Long.parseLong(columns[1]));
			}
		}
		return counts;
	}

	private static String histogram() {
		try {
			return (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
		}
		catch (JMException ex) {
			throw new IllegalStateException("No class histogram from this JVM", ex);
		}
	}

}
