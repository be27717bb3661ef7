package dev.steady.sample.demo;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders comparison reports as a console table, one column per client.
 */
public final class ComparisonTable {

	private ComparisonTable() {
	}

	/**
	 * Render reports side by side.
	 * @param reports the reports, in column order
	 * @return the table, one line per figure
	 */
	public static String render(Map<String, ClientReport> reports) {
		List<ClientReport> columns = List.copyOf(reports.values());
		StringBuilder table = new StringBuilder();
		row(table, "", columns, ClientReport::client);
		row(table, "requests", columns, (report) -> report.requests());
		row(table, "ok", columns, (report) -> report.ok());
		row(table, "failed", columns, (report) -> report.failed());
		TreeSet<String> causes = new TreeSet<>();
		columns.forEach((report) -> causes.addAll(report.failuresByCause().keySet()));
		for (String cause : causes) {
			row(table, "  " + cause, columns, (report) -> report.failuresByCause().getOrDefault(cause, 0));
		}
		row(table, "retries", columns, (report) -> report.retries());
		row(table, "server executions", columns, (report) -> report.serverExecutions());
		row(table, "duplicate executions", columns, (report) -> report.duplicateExecutions());
		row(table, "connections opened", columns, (report) -> report.connections());
		row(table, "p50 ms", columns, (report) -> report.p50Ms());
		row(table, "p99 ms", columns, (report) -> report.p99Ms());
		return table.toString();
	}

	private static void row(StringBuilder table, String name, List<ClientReport> columns,
			Function<ClientReport, Object> value) {
		table.append(String.format("%-22s", name));
		columns.forEach((report) -> table.append(String.format("%12s", value.apply(report))));
		table.append(System.lineSeparator());
	}

}
