package dev.steady.sample.bench;

import java.util.Collection;

/**
 * The median of measurements, the figure the benchmark reports so that one run disturbed by
 * the rest of the machine does not move it.
 */
final class Median {

	private Median() {
	}

	static double of(Collection<? extends Number> values) {
		double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
