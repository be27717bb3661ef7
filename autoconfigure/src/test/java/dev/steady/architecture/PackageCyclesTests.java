package dev.steady.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Steady's packages form no cycles, as Spring Boot's build demands of its own: each package
 * ({@code client}, {@code retry}, {@code autoconfigure.client}, ...) is one slice.
 */
class PackageCyclesTests {

	@Test
	void packagesAreFreeOfCycles() {
		JavaClasses steady = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.steady");
		slices().matching("dev.steady.(**)").should().beFreeOfCycles().check(steady);
	}

}
