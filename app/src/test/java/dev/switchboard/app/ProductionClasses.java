package dev.switchboard.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The compiled production classes of every module, imported once per test JVM for the architecture tests. */
final class ProductionClasses {

    private static JavaClasses classes;

    private ProductionClasses() {}

    static synchronized JavaClasses all() {
        if (classes == null) {
            classes = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.switchboard");
        }
        return classes;
    }
}
