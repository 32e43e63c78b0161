package org.nnstm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Layer rules between the packages of the main code (test classes and jars are not imported). Each rule is
 * checked with ArchUnit's {@code ArchRule.check}, which throws with the list of violations; a rule that matches
 * no class at all fails too (ArchUnit's default {@code archRule.failOnEmptyShould}), so a renamed package cannot
 * make a rule pass vacuously.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    // the rules look at nnstm's own classes only: resolving every referenced JDK or library class from the
    // classpath would only make the import slower
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("org.nnstm");
    // every top-level package the rules name must be there, or the rules below check nothing
    for (String p : new String[] {"tensor", "backend", "nn", "data", "io", "cli", "prior", "meanfield"}) {
      String prefix = "org.nnstm." + p;
      assertTrue(classes.stream().anyMatch(c -> c.getPackageName().equals(prefix)
          || c.getPackageName().startsWith(prefix + ".")), "no main class imported in " + prefix);
    }
  }

  /** (a) The tensor API does not know its implementations: backends are found, not named. */
  @Test
  void tensorDoesNotDependOnBackends() {
    ArchRule rule = noClasses().that().resideInAPackage("org.nnstm.tensor..")
        .should().dependOnClassesThat().resideInAPackage("org.nnstm.backend..");
    rule.check(classes);
  }

  /** (b) The network code does not depend on data sets or file formats (one of the two directions stays). */
  @Test
  @Disabled("fails until org.nnstm.nn stops using org.nnstm.data (nn.BumpRegression and "
      + "nn.RegressionMetrics take data.BumpTargets); lead enables after merging, keeping this rule or its reverse")
  void nnDoesNotDependOnDataOrIo() {
    ArchRule rule = noClasses().that().resideInAPackage("org.nnstm.nn..")
        .should().dependOnClassesThat().resideInAnyPackage("org.nnstm.data..", "org.nnstm.io..");
    rule.check(classes);
  }

  /** (b, reverse) Data sets and file formats do not depend on the network code. */
  @Test
  @Disabled("fails until org.nnstm.data and org.nnstm.io stop using org.nnstm.nn (data.Mnist returns "
      + "nn.TrainingRun.Data; io.ReferenceLayout is a TrainingRun.Listener over Ensemble, EnsembleTrainer, ModelInit); "
      + "lead enables after merging, keeping this rule or its reverse")
  void dataAndIoDoNotDependOnNn() {
    ArchRule rule = noClasses().that().resideInAnyPackage("org.nnstm.data..", "org.nnstm.io..")
        .should().dependOnClassesThat().resideInAPackage("org.nnstm.nn..");
    rule.check(classes);
  }

  /** (c) The command line is the top layer: nothing else depends on it. */
  @Test
  void onlyCliDependsOnCli() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("org.nnstm.cli..")
        .should().dependOnClassesThat().resideInAPackage("org.nnstm.cli..");
    rule.check(classes);
  }

  /** (d) A library neither ends the JVM nor writes to the process's standard streams; only the CLI does. */
  @Test
  void onlyCliExitsOrWritesToStandardStreams() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("org.nnstm.cli..")
        .should().callMethod(System.class, "exit", int.class)
        .orShould().callMethod(Runtime.class, "exit", int.class)
        .orShould().callMethod(Runtime.class, "halt", int.class)
        .orShould().accessField(System.class, "out")
        .orShould().accessField(System.class, "err");
    rule.check(classes);
  }

  /** (e) No cycles between the top-level packages (org.nnstm.backend.cpu and .cuda are one slice). */
  @Test
  @Disabled("fails until the cycles backend -> tensor -> backend (tensor.Backends names "
      + "CpuBackend/CudaBackend), backend -> nn -> tensor -> backend (backend.cuda.GpuBenchmark uses nn.StepBenchmark) "
      + "and data -> nn -> data (Mnist/TrainingRun.Data, BumpTargets) are broken; lead enables after merging")
  void topLevelPackagesAreFreeOfCycles() {
    ArchRule rule = slices().matching("org.nnstm.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }
}
