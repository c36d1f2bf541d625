package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.OutstandingDrift;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenReports a product should have: one Report per environment namespace groundwork writes into. */
class OpenReportsTest {
    private static final String SPEC = """
            team: shop-team
            tier: %s
            mode: %s
            environments: [{name: prod}, {name: staging}, {name: qa}]
            """;
    private static final ObjectKey QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey PROD_NS = new ObjectKey("Namespace", null, "shop-prod");
    private static final String SINCE = "2026-01-01T00:00:00.000Z";

    private List<NamespaceStatus> namespaces = List.of(ready("shop-prod", "prod"),
            new NamespaceStatus("shop-staging", "staging", NamespaceState.Pending, "not created yet"));

    private static NamespaceStatus ready(String namespace, String environment) {
        return new NamespaceStatus(namespace, environment, NamespaceState.Ready, null);
    }

    private List<GenericKubernetesResource> reports(String tier, String mode, OutstandingDrift... outstanding) {
        ProductPlatform product = FakeCluster.product("shop", SPEC.formatted(tier, mode));
        ResolvedProduct resolved = FakeCluster.resolve(product);
        ProductPlatformStatus status = new ProductPlatformStatus(1L, "abc1234", 10, namespaces, List.of(),
                new DriftStatus(1L, 0L, SINCE, List.of(outstanding), List.of()));
        return OpenReports.desired(product, resolved, baseline(resolved), status);
    }

    private List<GenericKubernetesResource> reports(OutstandingDrift... outstanding) {
        return reports("critical", "Enforce", outstanding);
    }

    private static Baseline baseline(ResolvedProduct resolved) {
        ClusterFacts facts = new ClusterFacts(new TreeSet<>(List.of("standard-rwo")), false, PeerNamespaces.NONE);
        return new BaselinePlanner(StandardLoader.defaults().standard()).plan(resolved, facts, ns -> Map.of());
    }

    private static List<DesiredObject> desiredIn(String tier, String namespace) {
        ProductPlatform product = FakeCluster.product("shop", SPEC.formatted(tier, "Enforce"));
        return baseline(FakeCluster.resolve(product)).environments().stream()
                .filter(e -> e.environment().namespace().equals(namespace)).findFirst().orElseThrow().objects();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(GenericKubernetesResource report) {
        return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    }

    private static Map<String, Object> result(GenericKubernetesResource report, ObjectKey key) {
        return results(report).stream().filter(r -> key.toString().equals(r.get("rule"))).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + key));
    }

    private static OutstandingDrift drift(ObjectKey key, DriftChange change, List<String> fields, String changedBy) {
        return new OutstandingDrift(key.toString(), SINCE, DriftAction.BackedOff, "storage", change, fields, changedBy);
    }

    @Test
    void aReadyEnvironmentNamespaceGetsOneReportNamedGroundworkAndLabelledForTheProduct() {
        List<GenericKubernetesResource> reports = reports();

        assertThat(reports).hasSize(1);
        GenericKubernetesResource report = reports.get(0);
        assertThat(report.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
        assertThat(report.getKind()).isEqualTo("Report");
        assertThat(report.getMetadata().getName()).isEqualTo("groundwork");
        assertThat(report.getMetadata().getNamespace()).isEqualTo("shop-prod");
        assertThat(report.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Labels.MANAGED_BY, "groundwork", Labels.PRODUCT, "shop", Labels.ENVIRONMENT, "prod"));
        assertThat(report.getAdditionalProperties()).containsEntry("source", "groundwork");
    }

    @Test
    void everyReadyNamespaceHasItsOwnReport() {
        namespaces = List.of(ready("shop-prod", "prod"), ready("shop-staging", "staging"));

        assertThat(reports()).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getLabels()
                .get(Labels.ENVIRONMENT)).containsExactly("shop-prod/prod", "shop-staging/staging");
    }

    @Test
    void aNamespacesAreaInAuditWritesNoReportAtAll() {
        namespaces = List.of(ready("shop-prod", "prod"), ready("shop-staging", "staging"));

        assertThat(reports("critical", "Audit")).isEmpty();
    }

    @Test
    void anEnvironmentWithAProblemGetsNoReportEvenIfAStaleStatusCallsItReady() {
        // qa is not an environment of the built-in standard: the plan writes nothing for it.
        namespaces = List.of(ready("shop-prod", "prod"), ready("shop-qa", "qa"));

        assertThat(reports()).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop-prod");
    }

    @Test
    void aStatusWithoutNamespacesMeansNoReports() {
        namespaces = null;

        assertThat(reports()).isEmpty();
    }

    @Test
    void everyBaselineObjectPassesWhenNothingIsOutstanding() {
        List<DesiredObject> desired = desiredIn("critical", "shop-prod");

        GenericKubernetesResource report = reports().get(0);

        assertThat(results(report)).extracting(r -> r.get("rule"))
                .containsExactlyElementsOf(desired.stream().map(d -> d.key().toString()).toList());
        assertThat(results(report)).extracting(r -> r.get("policy"))
                .containsExactlyElementsOf(desired.stream().map(d -> d.area().name()).toList());
        assertThat(results(report)).allSatisfy(r -> {
            assertThat(r).containsEntry("result", "pass").containsEntry("category", "Platform baseline")
                    .doesNotContainKey("properties");
            assertThat(r.get("message")).isEqualTo(r.get("rule") + " is as the standard requires.");
        });
        assertThat(report.getAdditionalProperties().get("summary")).isEqualTo(
                Map.of("pass", desired.size(), "fail", 0, "warn", 0, "error", 0, "skip", 0));
    }

    @Test
    void aResultNamesItsObjectAsAResourceReferenceWithoutANamespaceForANamespace() {
        GenericKubernetesResource report = reports().get(0);

        assertThat(result(report, QUOTA).get("resources")).isEqualTo(List.of(Map.of(
                "apiVersion", "v1", "kind", "ResourceQuota", "namespace", "shop-prod", "name", "groundwork-storage")));
        assertThat(result(report, PROD_NS).get("resources")).isEqualTo(List.of(Map.of(
                "apiVersion", "v1", "kind", "Namespace", "name", "shop-prod")));
    }

    @Test
    void anOutstandingDriftFailsItsObjectWithWhatChangedWhoChangedItAndSince() {
        GenericKubernetesResource report = reports(drift(QUOTA, DriftChange.Modified,
                List.of("spec.hard.requests.storage", "spec.hard.persistentvolumeclaims"), "kubectl-edit")).get(0);

        Map<String, Object> failed = result(report, QUOTA);
        assertThat(failed).containsEntry("result", "fail").containsEntry("policy", "storage");
        assertThat(failed.get("properties")).isEqualTo(Map.of("change", "Modified",
                "fields", "spec.hard.requests.storage, spec.hard.persistentvolumeclaims", "changedBy", "kubectl-edit",
                "since", SINCE, "action", "BackedOff"));
        assertThat(failed.get("message")).isEqualTo("ResourceQuota shop-prod/groundwork-storage differs from the standard "
                + "(spec.hard.requests.storage, spec.hard.persistentvolumeclaims, changed by kubectl-edit) since " + SINCE + ".");
        assertThat(result(report, PROD_NS)).containsEntry("result", "pass");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) report.getAdditionalProperties().get("summary");
        assertThat(summary).containsEntry("fail", 1).containsEntry("pass", results(report).size() - 1);
    }

    @Test
    void aMissingObjectIsReportedByItsChangeWhenNoFieldsOrWriterAreKnown() {
        Map<String, Object> failed = result(reports(drift(QUOTA, DriftChange.Missing, null, null)).get(0), QUOTA);

        assertThat(failed.get("properties")).isEqualTo(Map.of("change", "Missing", "since", SINCE, "action", "BackedOff"));
        assertThat(failed.get("message")).isEqualTo("ResourceQuota shop-prod/groundwork-storage differs from the standard "
                + "(missing) since " + SINCE + ".");
    }

    @Test
    void severityFollowsTheProductsTier() {
        assertThat(OpenReports.severity(Tier.critical)).isEqualTo("high");
        assertThat(OpenReports.severity(Tier.standard)).isEqualTo("medium");
        assertThat(OpenReports.severity(Tier.sandbox)).isEqualTo("low");
        assertThat(results(reports("sandbox", "Enforce").get(0))).extracting(r -> r.get("severity")).containsOnly("low");
        assertThat(results(reports("critical", "Enforce").get(0))).extracting(r -> r.get("severity")).containsOnly("high");
    }
}
