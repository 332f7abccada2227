package com.partneraccess.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Dependencies point one way: adapters (http/, web/, *Api, *Pages, the WebSocket handler, verticles and the
 * composition root) -> feature services -> repositories -> core (config, bus, db, time, authz). A service or a
 * repository never reaches up into an adapter, the core never reaches into a feature, and the features below
 * the adapters have no cycles between them.
 */
@DisplayName("Architecture: dependencies point one way")
class ArchitectureTest {
  static final String ROOT = "com.partneraccess";
  static final String[] CORE = {ROOT + ".config..", ROOT + ".bus..", ROOT + ".db..", ROOT + ".time..", ROOT + ".authz.."};
  static final String[] EDGES = {ROOT + ".http..", ROOT + ".web.."};

  /** The adapters and wiring: they may depend on anything below them. */
  static final DescribedPredicate<JavaClass> ADAPTER = new DescribedPredicate<>("an adapter or wiring") {
    @Override
    public boolean test(JavaClass c) {
      String n = c.getSimpleName().isEmpty() ? c.getName().substring(c.getName().lastIndexOf('.') + 1) : c.getSimpleName();
      String top = c.getName().contains("$") ? c.getName().substring(0, c.getName().indexOf('$')) : c.getName();
      String simpleTop = top.substring(top.lastIndexOf('.') + 1);
      // ".web" exactly: the webhooks feature (R33) is not the web edge
      return c.getPackageName().startsWith(ROOT + ".http") || c.getPackageName().equals(ROOT + ".web")
          || c.getPackageName().startsWith(ROOT + ".web.")
          || c.getPackageName().equals(ROOT) || c.getPackageName().startsWith(ROOT + ".demo")
          || simpleTop.endsWith("Api") || simpleTop.endsWith("Pages") || simpleTop.endsWith("Verticle")
          || simpleTop.endsWith("Handler") || simpleTop.equals("LiveSocket") || n.endsWith("Verticle");
    }
  };

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
  }

  @Test
  @DisplayName("The core (config, bus, db, time, authz) depends on no feature and no adapter")
  void coreDependsOnNothingAbove() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat(DescribedPredicate.and(
            JavaClass.Predicates.resideInAPackage(ROOT + ".."),
            DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(CORE))))
        .check(classes);
  }

  @Test
  @DisplayName("Services and repositories never depend on an adapter (http/, web/, *Api, *Pages, handlers, verticles)")
  void servicesDoNotReachUp() {
    noClasses().that().haveSimpleNameEndingWith("Service").or().haveSimpleNameEndingWith("Repository")
        .should().dependOnClassesThat(ADAPTER)
        .check(classes);
    noClasses().that().resideOutsideOfPackages(EDGES).and(DescribedPredicate.not(ADAPTER))
        .should().dependOnClassesThat().resideInAnyPackage(EDGES)
        .check(classes);
  }

  @Test
  @DisplayName("The features below the adapters have no cycles between them")
  void featuresHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles()
        .check(classes.that(DescribedPredicate.not(ADAPTER)));
  }
}
