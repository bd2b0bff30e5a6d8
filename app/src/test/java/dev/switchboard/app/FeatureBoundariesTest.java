package dev.switchboard.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries one level below {@link DependencyDirectionTest}, on the compiled production classes: the app reaches
 * the runtime only through its serving API, and a feature package of the app reaches another only through the types
 * that feature offers the others (its API, listed here); everything else of a feature, its subpackages included, is
 * its own business. A new cross-feature use either goes through a listed type or adds one here, in review.
 */
class FeatureBoundariesTest {

    private static final String APP = "dev.switchboard.app.";

    /** Per feature package of the app, the types the other features may use (nested types included). */
    private static final Map<String, Set<String>> FEATURE_API = Map.ofEntries(
            Map.entry("errors", Set.of("ApiException", "BindingErrors", "InvalidParameter", "OpenAiErrorBody")),
            Map.entry("experts", Set.of("ExpertEventKind", "ExpertLifecycleEvent")),
            Map.entry("fleet", Set.of("ExpertConfigurationState", "FleetNotifications", "FleetProperties", "FleetTask",
                    "Replica", "ReplicaRepository", "ReplicaView")),
            Map.entry("generation", Set.of("PrefillTraces", "RouteRequest", "StepObserver")),
            Map.entry("model", Set.of("ChatMessage", "ChatTemplate", "ExpertFaultListener", "ModelHolder", "ModelTokenizer",
                    "ServedModel", "StepBoundary")),
            Map.entry("routingstats", Set.of("StatsBenchCommand", "StatsReadBenchCommand")),
            Map.entry("security", Set.of("AdminCaller")),
            Map.entry("system", Set.of("StartupConfigurationException", "SwitchboardProperties")),
            Map.entry("routing", Set.of()),
            Map.entry("connections", Set.of()));

    /**
     * The runtime's packages the server may use: its serving façade (the engine that runs batched steps, the
     * expert-table editor), the decode loop and finish reasons, the tokenizer, and the routing records (traces,
     * statistics, overrides, the balance formulas the statistics share).
     */
    private static final Set<String> RUNTIME_API_PACKAGES = Set.of("dev.switchboard.runtime",
            "dev.switchboard.runtime.serving", "dev.switchboard.runtime.generation", "dev.switchboard.runtime.tokenizer",
            "dev.switchboard.runtime.routing");

    /**
     * The two callbacks the model itself declares, which the server implements (plugin kinds, expert faults), and the
     * device settings (where the model lives, where its routing runs).
     */
    private static final Set<String> RUNTIME_API_TYPES = Set.of("dev.switchboard.runtime.model.ExpertKindResolver",
            "dev.switchboard.runtime.model.ExpertFault", "dev.switchboard.runtime.model.DeviceChoice",
            "dev.switchboard.runtime.model.DeviceRouting");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = ProductionClasses.all();
    }

    @Test
    void theAppUsesTheRuntimeOnlyThroughItsServingApi() {
        noClasses().that().resideInAPackage("dev.switchboard.app..")
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are runtime classes outside its serving API " + RUNTIME_API_PACKAGES + " + " + RUNTIME_API_TYPES,
                        type -> type.getPackageName().startsWith("dev.switchboard.runtime")
                                && !RUNTIME_API_PACKAGES.contains(type.getPackageName())
                                && !RUNTIME_API_TYPES.contains(type.getName())))
                .check(classes);
    }

    @Test
    void everyFeaturePackageIsListed() {
        classes().that().resideInAPackage("dev.switchboard.app.(*)..")
                .should(new ArchCondition<>("belong to a feature listed in FEATURE_API") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        if (!FEATURE_API.containsKey(feature(type))) {
                            events.add(SimpleConditionEvent.violated(type, type.getName() + " is in feature package '"
                                    + feature(type) + "', which FEATURE_API does not list"));
                        }
                    }
                })
                .check(classes);
    }

    @Test
    void featuresReachEachOtherOnlyThroughTheirApi() {
        classes().that().resideInAPackage("dev.switchboard.app..")
                .should(new ArchCondition<>("use another feature only through the types it offers (FEATURE_API)") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                            JavaClass target = dependency.getTargetClass().getBaseComponentType();
                            String targetFeature = feature(target);
                            if (targetFeature == null || targetFeature.equals(feature(origin))) {
                                continue;
                            }
                            String api = FEATURE_API.getOrDefault(targetFeature, Set.of()).stream()
                                    .filter(name -> outermost(target).getName().equals(APP + targetFeature + "." + name))
                                    .findAny().orElse(null);
                            if (api == null) {
                                events.add(SimpleConditionEvent.violated(origin, dependency.getDescription()
                                        + ": not part of feature '" + targetFeature + "''s API"));
                            }
                        }
                    }
                })
                .check(classes);
    }

    /** {@code generation} for {@code dev.switchboard.app.generation.openai.X}; null outside a feature package. */
    private static String feature(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(APP)) {
            return null;
        }
        String rest = name.substring(APP.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass outer = type;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
