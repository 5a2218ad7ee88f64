package io.otaedge.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules docs/ARCHITECTURE.md states, checked on the compiled main classes of every module (the
 * standalone's test class path holds them all): the services share only {@code common}, no package cycle inside
 * a service, and a dialect is one package that knows no other dialect (adding one means adding a package).
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // `verify` puts the other modules on the class path as jars, `test` as class directories: take both,
                // but no test jar (common's test helpers).
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.otaedge");
        assertThat(classes.containPackage("io.otaedge.edge.download")).as("edge imported").isTrue();
        assertThat(classes.containPackage("io.otaedge.control.dialect.onenet")).as("control imported").isTrue();
    }

    @Test
    void edgeAndControlShareOnlyCommon() {
        noClasses().that().resideInAPackage("io.otaedge.edge..")
                .should().dependOnClassesThat().resideInAPackage("io.otaedge.control..")
                .check(classes);
        noClasses().that().resideInAPackage("io.otaedge.control..")
                .should().dependOnClassesThat().resideInAPackage("io.otaedge.edge..")
                .check(classes);
    }

    @Test
    void commonDependsOnNoService() {
        noClasses().that().resideInAPackage("io.otaedge.common..")
                .should().dependOnClassesThat().resideInAnyPackage("io.otaedge.edge..", "io.otaedge.control..",
                        "io.otaedge.standalone..")
                .check(classes);
    }

    @Test
    void noPackageCycleInControl() {
        slices().matching("io.otaedge.control.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noPackageCycleInEdge() {
        slices().matching("io.otaedge.edge.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noPackageCycleInCommon() {
        slices().matching("io.otaedge.common.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noDialectKnowsAnotherDialect() {
        slices().matching("io.otaedge.control.dialect.(*)..").should().notDependOnEachOther().check(classes);
    }
}
