package dev.switchboard.runtime.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.switchboard.runtime.training.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The code that training differentiates (the model's layers, the training losses, the expert kinds) never multiplies,
 * divides, raises or clamps by a plain {@code Number}: DJL frees such a scalar at once while autograd keeps it for the
 * backward ({@link GraphConstant}, {@link GraphConstantTest}). Additions and subtractions keep nothing and stay allowed.
 * The trainer's gradient clipping runs outside any graph.
 */
class GraphConstantRuleTest {

    @Test
    void differentiatedCodeUsesGraphConstantsForScalingByANumber() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard.runtime.model", "dev.switchboard.runtime.training", "dev.switchboard.experts");
        noClasses().that().resideInAnyPackage("dev.switchboard.runtime.model..", "dev.switchboard.runtime.training..",
                        "dev.switchboard.experts..")
                .and().doNotBelongToAnyOf(Trainer.class)
                .should().callMethod(NDArray.class, "mul", Number.class)
                .orShould().callMethod(NDArray.class, "muli", Number.class)
                .orShould().callMethod(NDArray.class, "div", Number.class)
                .orShould().callMethod(NDArray.class, "divi", Number.class)
                .orShould().callMethod(NDArray.class, "pow", Number.class)
                .orShould().callMethod(NDArray.class, "powi", Number.class)
                .orShould().callMethod(NDArray.class, "maximum", Number.class)
                .orShould().callMethod(NDArray.class, "minimum", Number.class)
                .because("autograd keeps the scalar of x.mul(2f) after DJL has freed it; use GraphConstant.of")
                .check(classes);
    }
}
