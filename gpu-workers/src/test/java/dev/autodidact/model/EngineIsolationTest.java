package dev.autodidact.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API package stays engine-free: other modules see no DJL type through it. */
class EngineIsolationTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.autodidact.model");

  @Test
  void theApiPackageDoesNotUseDjl() {
    noClasses().that().resideInAPackage("dev.autodidact.model")
        .should().dependOnClassesThat().resideInAPackage("ai.djl..")
        .check(MAIN);
  }

  @Test
  void onlyThePolicyFactoryReachesTheEngine() {
    noClasses().that().resideInAPackage("dev.autodidact.model")
        .and().doNotHaveSimpleName("Policies")
        .should().dependOnClassesThat().resideInAPackage("dev.autodidact.model.djl")
        .check(MAIN);
  }
}
