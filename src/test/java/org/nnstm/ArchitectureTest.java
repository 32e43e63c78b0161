package org.nnstm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
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

  /**
   * (b) Every top-level package imports only the layers below it (docs/ARCHITECTURE.md, "Layers"): data sets
   * and files know nothing of networks, networks nothing of files, runs or experiments. The table is the one in
   * the architecture document; {@code cli} may import everything and is not listed.
   */
  @Test
  void layersImportOnlyDownward() {
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    allowed.put("tensor", List.of());
    allowed.put("backend", List.of("tensor"));
    allowed.put("io", List.of());
    allowed.put("data", List.of("io"));
    allowed.put("meanfield", List.of("tensor"));
    allowed.put("prior", List.of("tensor"));
    allowed.put("plot", List.of("io"));
    allowed.put("nn", List.of("tensor", "data"));
    allowed.put("run", List.of("tensor", "data", "io", "nn"));
    allowed.put("experiment", List.of("tensor", "data", "io", "nn", "run", "prior", "meanfield", "plot"));
    List<String> all = new ArrayList<>(allowed.keySet());
    all.add("cli");
    for (Map.Entry<String, List<String>> e : allowed.entrySet()) {
      String[] forbidden = all.stream().filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
          .map(p -> "org.nnstm." + p + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("org.nnstm." + e.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .because(e.getKey() + " may import only " + e.getValue())
          .check(classes);
    }
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
  void topLevelPackagesAreFreeOfCycles() {
    ArchRule rule = slices().matching("org.nnstm.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }
}
