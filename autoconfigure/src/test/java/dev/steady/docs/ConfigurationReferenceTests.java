package dev.steady.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} is generated from the configuration metadata the build writes
 * (the field Javadoc of the properties classes, through Boot's configuration processor), and the
 * README's property table lists every property. Run with {@code -Dsteady.docs.write=true} to
 * write the page after changing a property; without it, the test fails when page and metadata
 * disagree.
 */
class ConfigurationReferenceTests {

	static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

	static final Path ADDITIONAL_METADATA = Path.of("src", "main", "resources", "META-INF",
			"additional-spring-configuration-metadata.json");

	static final Path README = Path.of("..", "README.md");

	private static final Pattern CODE = Pattern.compile("\\{@(?:code|link) ([^}]*)}");

	@Test
	void referenceIsTheOneGeneratedFromTheMetadata() throws IOException {
		String generated = render(properties());
		Path written = Path.of("target", "generated-docs", "configuration.md");
		Files.createDirectories(written.getParent());
		Files.writeString(written, generated);
		if (Boolean.getBoolean("steady.docs.write")) {
			Files.writeString(REFERENCE, generated);
		}
		assertThat(Files.readString(REFERENCE))
			.as("docs/configuration.md differs from the metadata; regenerate it with -Dsteady.docs.write=true")
			.isEqualTo(generated);
	}

	@Test
	void readmeListsEveryPropertyWithItsDefault() throws IOException {
		String readme = Files.readString(README);
		List<String> missing = properties().stream()
			.filter((property) -> !property.deprecated() && !property.type().startsWith("java.util.Map")
					&& property.name().startsWith("steady."))
			.map(Property::name)
			.filter((name) -> !Pattern.compile("(?m)^\\| `" + Pattern.quote(name) + "` \\| [^|]+ \\|").matcher(readme).find())
			.toList();
		assertThat(missing).as("properties missing from the README's property table").isEmpty();
	}

	@Test
	void deprecatedKeysCarryOnlyTheirReplacementAndCoverEveryKey() throws IOException {
		List<Property> properties = properties();
		List<String> deprecated = properties.stream()
			.filter((property) -> property.name().startsWith("steady.client."))
			.map(Property::name)
			.toList();
		List<String> current = properties.stream()
			.filter((property) -> property.name().startsWith("steady.client-defaults."))
			.map((property) -> property.name().replace("steady.client-defaults.", "steady.client."))
			.toList();
		assertThat(deprecated).containsExactlyInAnyOrderElementsOf(current);
		List<Map<String, Object>> handWritten = JsonPath.read(Files.readString(ADDITIONAL_METADATA), "$.properties");
		assertThat(handWritten).filteredOn((entry) -> entry.containsKey("deprecation"))
			.as("deprecated keys take their documentation from their replacement's Javadoc")
			.allSatisfy((entry) -> assertThat(entry).doesNotContainKeys("description", "defaultValue"));
	}

	static List<Property> properties() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(Files.readString(METADATA), "$.properties");
		return properties.stream()
			.map(Property::of)
			.filter((property) -> property.name().startsWith("steady.")
					|| property.name().startsWith("management.health.steady."))
			.sorted(Comparator.comparing(Property::name))
			.toList();
	}

	static String render(List<Property> properties) {
		StringBuilder page = new StringBuilder();
		page.append("# Configuration reference\n\n");
		page.append("<!-- Generated from the configuration metadata by ConfigurationReferenceTests: do not edit. -->\n\n");
		page.append("Every key below under `steady.client-defaults.*` also exists for one named client as ");
		page.append("`steady.clients.<name>.*`, and for one remote host as `steady.client-defaults.hosts[host:port].pool.*` ");
		page.append("or `steady.clients.<name>.hosts[host:port].pool.*` (pool keys only). ");
		page.append("An empty default is computed or unset, as the description says.\n\n");
		page.append("| property | type | default | description |\n|---|---|---|---|\n");
		properties.stream().filter((property) -> !property.deprecated()).forEach((property) -> page.append(row(property)));
		page.append("\n## Deprecated\n\n");
		page.append("These keys still bind, below their replacement, and will be removed.\n\n");
		page.append("| property | replacement |\n|---|---|\n");
		properties.stream()
			.filter(Property::deprecated)
			.forEach((property) -> page.append("| `")
				.append(property.name())
				.append("` | `")
				.append(property.replacement())
				.append("` |\n"));
		return page.toString();
	}

	private static String row(Property property) {
		return "| `" + property.name() + "` | `" + simpleType(property.type()) + "` | "
				+ (property.defaultValue().isEmpty() ? "" : "`" + property.defaultValue() + "`") + " | "
				+ text(property.description()) + " |\n";
	}

	private static String simpleType(String type) {
		return type.replaceAll("[a-z0-9]+\\.", "").replace('$', '.').replace("|", "\\|");
	}

	private static String text(String description) {
		Matcher code = CODE.matcher(description);
		return code.replaceAll((match) -> "`" + Matcher.quoteReplacement(match.group(1)) + "`")
			.replaceAll("\\s+", " ")
			.replace("|", "\\|")
			.trim();
	}

	record Property(String name, String type, String defaultValue, String description, boolean deprecated,
			String replacement) {

		@SuppressWarnings("unchecked")
		static Property of(Map<String, Object> json) {
			Object defaultValue = json.get("defaultValue");
			String shownDefault = (defaultValue == null) ? ""
					: (defaultValue instanceof List<?> list) ? list.stream().map(String::valueOf).collect(Collectors.joining(", "))
							: String.valueOf(defaultValue);
			Map<String, Object> deprecation = (Map<String, Object>) json.get("deprecation");
			return new Property((String) json.get("name"), String.valueOf(json.get("type")), shownDefault,
					String.valueOf(json.getOrDefault("description", "")),
					deprecation != null || Boolean.TRUE.equals(json.get("deprecated")),
					(deprecation != null) ? String.valueOf(deprecation.get("replacement")) : "");
		}

	}

}
