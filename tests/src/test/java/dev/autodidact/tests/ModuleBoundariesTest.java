package dev.autodidact.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module arrows of ARCHITECTURE.md, kept true by the build. */
class ModuleBoundariesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importProject() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.autodidact");
  }

  @Test
  void coreIsPureJava() {
    noClasses().that().resideInAPackage("dev.autodidact.core..")
        .should().dependOnClassesThat().resideOutsideOfPackages("dev.autodidact.core..", "java..")
        .check(classes);
  }

  @Test
  void theSandboxDependsOnCoreOnly() {
    noClasses().that().resideInAPackage("dev.autodidact.sandbox..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.autodidact.model..", "dev.autodidact.persistence..",
            "dev.autodidact.actors..", "dev.autodidact.cli..", "akka..")
        .check(classes);
  }

  @Test
  void theModelDependsOnCoreOnly() {
    noClasses().that().resideInAPackage("dev.autodidact.model..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.autodidact.sandbox..",
            "dev.autodidact.persistence..", "dev.autodidact.actors..", "dev.autodidact.cli..", "akka..")
        .check(classes);
  }

  @Test
  void persistenceDependsOnCoreOnly() {
    noClasses().that().resideInAPackage("dev.autodidact.persistence..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.autodidact.sandbox..", "dev.autodidact.model..",
            "dev.autodidact.actors..", "dev.autodidact.cli..")
        .check(classes);
  }

  @Test
  void actorsDoNotReachIntoTheCli() {
    noClasses().that().resideInAPackage("dev.autodidact.actors..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.autodidact.cli..", "dev.autodidact.simulation..")
        .check(classes);
  }

  @Test
  void onlyTheModelsEngineImportsDjl() {
    noClasses().that().resideOutsideOfPackage("dev.autodidact.model.djl..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
        .check(classes);
  }

  @Test
  void onlyTheRolloutEngineImportsOnnxRuntime() {
    noClasses().that().resideOutsideOfPackage("dev.autodidact.model.onnx..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..")
        .check(classes);
  }

  @Test
  void nothingUsesJavaSerialization() {
    noClasses().should().dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectOutputStream")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
        .check(classes);
  }
}
