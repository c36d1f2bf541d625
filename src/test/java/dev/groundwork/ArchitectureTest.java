package dev.groundwork;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout of the code, stated as rules: each layer may use the layers listed before it and none after it, the two
 * controllers do not use each other, and no packages depend on each other in a cycle. docs/decisions.md, "Layout".
 *
 * <pre>
 * api       the CRD models, the labels and condition types: the API groundwork offers and reads
 * kube      Kubernetes helpers with no groundwork knowledge (quantities, selectors, events)
 * standard  the standard, its revisions, the rollout's pure decisions
 * baseline  pure builders of each area's objects for a resolved product
 * drift     comparison, attribution, history, metrics of drift
 * preview   pure: what a new revision of the standard would change and break, from both revisions' baselines and
 *           the evidence the controllers read
 * status    conditions and verdicts, and the typed reading of a product's health
 * cluster   what both controllers read and write: managed caches, item stores, event sources, the writer, the
 *           revisions in force, the operator's settings
 * product   the ProductPlatform controller: sync, namespace claims, deletion, peers, reports, status
 * rollout   the PlatformStandard controller: validation, revisions stored, rollout, commands, fleet summary
 * runtime   the Quarkus wiring: beans, leader election
 * </pre>
 */
@AnalyzeClasses(packages = "dev.groundwork", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String API = "dev.groundwork.api..";
    private static final String KUBE = "dev.groundwork.kube..";
    private static final String STANDARD = "dev.groundwork.standard..";
    private static final String BASELINE = "dev.groundwork.baseline..";
    private static final String DRIFT = "dev.groundwork.drift..";
    private static final String PREVIEW = "dev.groundwork.preview..";
    private static final String STATUS = "dev.groundwork.status..";
    private static final String CLUSTER = "dev.groundwork.cluster..";
    private static final String PRODUCT = "dev.groundwork.product..";
    private static final String ROLLOUT = "dev.groundwork.rollout..";
    private static final String RUNTIME = "dev.groundwork.runtime..";

    @ArchTest
    static final ArchRule layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("api").definedBy(API)
            .layer("kube").definedBy(KUBE)
            .layer("standard").definedBy(STANDARD)
            .layer("baseline").definedBy(BASELINE)
            .layer("drift").definedBy(DRIFT)
            .layer("preview").definedBy(PREVIEW)
            .layer("status").definedBy(STATUS)
            .layer("cluster").definedBy(CLUSTER)
            .layer("product").definedBy(PRODUCT)
            .layer("rollout").definedBy(ROLLOUT)
            .layer("runtime").definedBy(RUNTIME)
            .whereLayer("runtime").mayNotBeAccessedByAnyLayer()
            .whereLayer("product").mayOnlyBeAccessedByLayers("runtime")
            .whereLayer("rollout").mayOnlyBeAccessedByLayers("runtime")
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("product", "rollout", "runtime")
            .whereLayer("status").mayOnlyBeAccessedByLayers("cluster", "product", "rollout", "runtime")
            .whereLayer("preview").mayOnlyBeAccessedByLayers("status", "cluster", "product", "rollout", "runtime")
            .whereLayer("drift").mayOnlyBeAccessedByLayers("preview", "status", "cluster", "product", "rollout", "runtime")
            .whereLayer("baseline").mayOnlyBeAccessedByLayers("drift", "preview", "status", "cluster", "product", "rollout",
                    "runtime")
            .whereLayer("standard").mayOnlyBeAccessedByLayers("baseline", "drift", "preview", "status", "cluster", "product",
                    "rollout", "runtime")
            .whereLayer("kube").mayOnlyBeAccessedByLayers("standard", "baseline", "drift", "preview", "status", "cluster",
                    "product", "rollout", "runtime");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.groundwork.(*)..").should().beFreeOfCycles();
}
