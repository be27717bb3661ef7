package dev.steady.sample.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The measured runs of every client at one concurrency, one per round. Figures are medians
 * over the rounds; a ratio between two clients is the median of their ratios within the same
 * round, so that both sides of each ratio ran seconds apart under the same machine load.
 */
final class RoundResults {

	private final Map<String, List<LoadResult>> runs = new LinkedHashMap<>();

	void add(String client, LoadResult result) {
		this.runs.computeIfAbsent(client, (name) -> new ArrayList<>()).add(result);
	}

	Set<String> clients() {
		return this.runs.keySet();
	}

	double median(String client, ToDoubleFunction<LoadResult> figure) {
		return Median.of(this.runs.get(client).stream().map(figure::applyAsDouble).toList());
	}

	double medianRatio(String client, String baseline, ToDoubleFunction<LoadResult> figure) {
		List<LoadResult> measured = this.runs.get(client);
		List<LoadResult> base = this.runs.get(baseline);
		return Median.of(IntStream.range(0, measured.size())
			.mapToObj((round) -> figure.applyAsDouble(measured.get(round)) / figure.applyAsDouble(base.get(round)))
			.toList());
	}

	long totalFailed(String client) {
		return this.runs.get(client).stream().mapToLong(LoadResult::failed).sum();
	}

}
