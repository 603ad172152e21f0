package dev.autodidact.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The API package stays engine-free: other modules see no DJL or ONNX Runtime type through it,
 * and the two engines (DJL for training and rollouts, ONNX Runtime for rollouts) share only the
 * API and the engine-independent sampling loop.
 */
class EngineIsolationTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.autodidact.model");

  @Test
  void theApiPackageDoesNotUseAnEngineLibrary() {
    noClasses().that().resideInAPackage("dev.autodidact.model")
        .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.onnxruntime..")
        .check(MAIN);
  }

  @Test
  void onlyThePolicyFactoryReachesTheEngines() {
    noClasses().that().resideInAPackage("dev.autodidact.model")
        .and().doNotHaveSimpleName("Policies")
        .should().dependOnClassesThat()
        .resideInAnyPackage("dev.autodidact.model.djl..", "dev.autodidact.model.onnx..")
        .check(MAIN);
  }

  @Test
  void theEnginesDoNotKnowEachOther() {
    noClasses().that().resideInAPackage("dev.autodidact.model.onnx..")
        .should().dependOnClassesThat().resideInAPackage("dev.autodidact.model.djl..")
        .check(MAIN);
    noClasses().that().resideInAPackage("dev.autodidact.model.djl..")
        .should().dependOnClassesThat().resideInAPackage("dev.autodidact.model.onnx..")
        .check(MAIN);
  }

  @Test
  void theSharedSamplingLoopIsEngineFree() {
    noClasses().that().resideInAPackage("dev.autodidact.model.sampling..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.autodidact.model.djl..",
            "dev.autodidact.model.onnx..", "ai.djl..", "ai.onnxruntime..")
        .check(MAIN);
  }
}
