package dev.switchboard.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * The architecture invariant of docs/ARCHITECTURE.md: dependencies point one way,
 * {@code expert-spi ← expert plugins}, {@code cpu-kernels ← built-in expert kinds, router-service},
 * {@code expert-spi ← router-service ← tools ← app}, and nothing points back up.
 * Checked on the compiled classes of every module, so a wrong import fails the build.
 */
class DependencyDirectionTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = ProductionClasses.all();
    }

    @Test
    void expertSpiDependsOnDjlApiOnly() {
        classes().that().resideInAPackage("dev.switchboard.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "ai.djl..", "dev.switchboard.spi..")
                .check(classes);
    }

    @Test
    void expertPluginsDependOnTheSpiDjlAndTheCpuKernelsOnly() {
        classes().that().resideInAPackage("dev.switchboard.experts..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "ai.djl..", "dev.switchboard.spi..", "dev.switchboard.experts..",
                        "dev.switchboard.kernels..")
                .check(classes);
    }

    @Test
    void cpuKernelsDependOnTheJdkOnly() {
        classes().that().resideInAPackage("dev.switchboard.kernels..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jdk.incubator.vector..", "dev.switchboard.kernels..")
                .check(classes);
    }

    @Test
    void routerServiceKnowsNothingOfSpringHttpOrSql() {
        noClasses().that().resideInAPackage("dev.switchboard.runtime..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "java.sql..", "io.r2dbc..",
                        "dev.switchboard.app..", "dev.switchboard.tools..", "dev.switchboard.experts..", "picocli..")
                .check(classes);
    }

    @Test
    void toolsRunOnTheRuntimeAloneWithoutSpringHttpOrSql() {
        noClasses().that().resideInAPackage("dev.switchboard.tools..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "java.sql..", "io.r2dbc..",
                        "dev.switchboard.app..", "dev.switchboard.experts..")
                .check(classes);
    }

    @Test
    void onlyTheEntryPointAndTheAppsOwnCommandsUseTheTools() {
        noClasses().that().resideInAPackage("dev.switchboard.app..")
                .and().areNotAnnotatedWith(Command.class)
                .and().doNotHaveFullyQualifiedName(SwitchboardApplication.class.getName())
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.tools..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheApp() {
        noClasses().that().resideOutsideOfPackage("dev.switchboard.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.app..")
                .check(classes);
    }

    @Test
    void appFeaturePackagesFormNoCycle() {
        slices().matching("dev.switchboard.app.(*)..").should().beFreeOfCycles().check(classes);
    }
}
