package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.Problem;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.drift.Finding;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** One owner of status, one precedence rule: problem, ApplyFailed, RepairBackedOff, DriftReported, in place. */
class StatusAggregatorTest {
    private static final String SPEC = """
            team: shop-team
            tier: critical
            environments: [{name: prod}, {name: staging}]
            networking:
              allowIngressFrom: [{product: pay}]
            """;
    private static final ObjectKey QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey DENY = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-default-deny");

    private final ProductPlatform product = FakeCluster.product("shop", SPEC);
    private final ResolvedProduct resolved = FakeCluster.resolve(product);
    private final Map<Area, AreaOutcome> areas = new EnumMap<>(Area.class);
    private PeerNamespaces peers = new PeerNamespaces(Map.of("pay", Map.of("prod", "pay-prod", "staging", "pay-staging")));
    private boolean flowApi = true;
    private final List<ProductSync.Skipped> skipped = new ArrayList<>();

    StatusAggregatorTest() {
        for (Area area : Area.values()) {
            areas.put(area, new AreaOutcome());
        }
    }

    private ProductPlatformStatus status() {
        return status(Optional.empty());
    }

    private ProductPlatformStatus status(Optional<Problem> deletionBlocked) {
        ProductSync.Result result = new ProductSync.Result(areas, List.of(new NamespaceStatus("shop-prod", "prod",
                NamespaceState.Ready, null)), 12, skipped);
        ClusterFacts facts = new ClusterFacts(new TreeSet<>(), flowApi, peers);
        return StatusAggregator.reconciled(product, new StatusAggregator.Facts(resolved, facts, true, "abc1234", false, result,
                List.of(), deletionBlocked, null)).status();
    }

    private static Condition condition(ProductPlatformStatus status, String type) {
        return status.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static Finding finding(Area area, ObjectKey key, DriftAction action) {
        return new Finding(area, key, DriftChange.Modified, List.of("spec.hard.requests.storage"), "kubectl-edit", action,
                action == DriftAction.RepairFailed ? "the server refused it" : null);
    }

    @Test
    void everythingInPlaceIsReadyAndInSyncWithEachAreasOwnReason() {
        ProductPlatformStatus status = status();

        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("The product meets the standard (revision abc1234).");
        assertThat(condition(status, "InSync").getReason()).isEqualTo("InSync");
        assertThat(status.conditions()).extracting(Condition::getType).containsExactly("Ready", "NamespacesReady",
                "NetworkingReady", "StorageReady", "LoggingReady", "AccessReady", "InSync");
        assertThat(condition(status, "NamespacesReady").getReason()).isEqualTo("NamespacesApplied");
        assertThat(condition(status, "NetworkingReady").getReason()).isEqualTo("PoliciesApplied");
        assertThat(condition(status, "StorageReady").getReason()).isEqualTo("QuotaApplied");
        assertThat(condition(status, "LoggingReady").getReason()).isEqualTo("FlowApplied");
        assertThat(condition(status, "AccessReady").getMessage())
                .isEqualTo("Group oidc:shop-team has ClusterRole view in prod; ClusterRole edit in staging (RoleBinding groundwork-team).");
        assertThat(status.observedGeneration()).isEqualTo(1);
        assertThat(status.standardRevision()).isEqualTo("abc1234");
        assertThat(status.managedResources()).isEqualTo(12);
    }

    @Test
    void noAreaSaysItIsInPlaceWhereItWroteNothingAndEachNamesTheEnvironmentAndWhy() {
        areas.get(Area.namespaces).problems.add(new Problem(Reason.NamespaceProtected, "Namespace cert-manager is protected."));
        skipped.add(new ProductSync.Skipped("prod", "cert-manager", Reason.NamespaceProtected));
        skipped.add(new ProductSync.Skipped("staging", "pay-staging", Reason.NamespaceOwnedByAnotherProduct));

        ProductPlatformStatus status = status();

        assertThat(condition(status, "NamespacesReady").getReason()).isEqualTo("NamespaceProtected");
        for (String area : List.of("NetworkingReady", "StorageReady", "LoggingReady", "AccessReady")) {
            Condition condition = condition(status, area);
            assertThat(condition.getStatus()).as(area).isEqualTo("False");
            assertThat(condition.getReason()).as(area).isEqualTo("NamespaceNotWritten");
            assertThat(condition.getMessage()).as(area).isEqualTo("Nothing is written to prod (namespace cert-manager: "
                    + "protected), staging (namespace pay-staging: another product's); see NamespacesReady.")
                    .doesNotContain("in place").doesNotContain("has ClusterRole");
        }
        assertThat(condition(status, "Ready").getReason()).isEqualTo("NamespaceProtected");
    }

    @Test
    void anAreaWithItsOwnProblemStatesItFirstThenTheEnvironmentsItCouldNotWrite() {
        areas.get(Area.storage).problems.add(new Problem(Reason.StorageClassNotAllowed, "Class premium is not allowed."));
        skipped.add(new ProductSync.Skipped("prod", "vault", Reason.AdoptionNotConsented));

        Condition storage = condition(status(), "StorageReady");

        assertThat(storage.getReason()).isEqualTo("StorageClassNotAllowed");
        assertThat(storage.getMessage()).isEqualTo("Class premium is not allowed. Nothing is written to prod (namespace vault: "
                + "its owner has not consented to adoption); see NamespacesReady.");
    }

    @Test
    void aProblemOutranksAFailedApplyInTheArea() {
        areas.get(Area.storage).findings.add(finding(Area.storage, QUOTA, DriftAction.RepairFailed));
        areas.get(Area.storage).problems.add(new Problem(Reason.StorageClassNotAllowed, "Class premium is not allowed."));

        assertThat(condition(status(), "StorageReady").getReason()).isEqualTo("StorageClassNotAllowed");
    }

    @Test
    void aFailedApplyOutranksBackedOffRepairsInTheAreaAndInSync() {
        areas.get(Area.storage).findings.add(finding(Area.storage, QUOTA, DriftAction.RepairFailed));
        areas.get(Area.networking).deferred.add(new AreaOutcome.Deferred(finding(Area.networking, DENY, DriftAction.Repaired),
                Instant.now().plusSeconds(4)));

        ProductPlatformStatus status = status();

        assertThat(condition(status, "StorageReady").getReason()).isEqualTo("ApplyFailed");
        assertThat(condition(status, "StorageReady").getMessage())
                .isEqualTo("Could not apply ResourceQuota shop-prod/groundwork-storage: the server refused it");
        assertThat(condition(status, "NetworkingReady").getReason()).isEqualTo("RepairBackedOff");
        assertThat(condition(status, "InSync").getReason()).as("the same rule as the areas").isEqualTo("ApplyFailed");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("ApplyFailed");
    }

    @Test
    void backedOffRepairsOutrankReportedDriftAndNameTheWriter() {
        areas.get(Area.networking).findings.add(finding(Area.networking, DENY, DriftAction.Reported));
        areas.get(Area.networking).deferred.add(new AreaOutcome.Deferred(finding(Area.networking, DENY, DriftAction.Repaired),
                Instant.now().plusSeconds(4)));

        ProductPlatformStatus status = status();

        assertThat(condition(status, "NetworkingReady").getReason()).isEqualTo("RepairBackedOff");
        assertThat(condition(status, "InSync").getMessage()).startsWith("Repairs back off: kubectl-edit keeps changing "
                + "NetworkPolicy shop-prod/groundwork-default-deny (spec.hard.requests.storage).");
    }

    @Test
    void reportedDriftSaysWhatEnforceWouldChange() {
        areas.get(Area.storage).findings.add(finding(Area.storage, QUOTA, DriftAction.Reported));

        ProductPlatformStatus status = status();

        assertThat(condition(status, "StorageReady").getReason()).isEqualTo("DriftReported");
        assertThat(condition(status, "StorageReady").getMessage()).isEqualTo("Audit mode: 1 object differs from the "
                + "standard: ResourceQuota shop-prod/groundwork-storage (spec.hard.requests.storage). Switch storage to "
                + "Enforce to apply the standard.");
        assertThat(condition(status, "InSync").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getMessage()).startsWith("StorageReady is False: Audit mode:");
    }

    @Test
    void driftOnTheNamespaceThatCarriesAnAreasContractMakesThatAreaUnreadyToo() {
        Finding annotation = new Finding(Area.namespaces, new ObjectKey("Namespace", null, "shop-prod"), DriftChange.Modified,
                List.of("metadata.annotations.groundwork.dev/log-sink"), null, DriftAction.Reported, null);
        areas.get(Area.namespaces).findings.add(annotation);
        areas.get(Area.logging).related.add(annotation);

        assertThat(condition(status(), "LoggingReady").getReason()).isEqualTo("DriftReported");
    }

    @Test
    void readyTakesTheWorstAreaNotTheFirst() {
        areas.get(Area.namespaces).findings.add(finding(Area.namespaces, QUOTA, DriftAction.Reported));
        areas.get(Area.logging).problems.add(new Problem(Reason.UnknownLogSink, "Sink nowhere is not defined."));

        ProductPlatformStatus status = status();

        assertThat(condition(status, "Ready").getReason()).isEqualTo("UnknownLogSink");
        assertThat(condition(status, "Ready").getMessage()).isEqualTo("LoggingReady is False: Sink nowhere is not defined.");
    }

    @Test
    void amongEquallyBadAreasTheFirstInOrderNamesReady() {
        areas.get(Area.storage).problems.add(new Problem(Reason.StorageClassNotAllowed, "Class premium is not allowed."));
        areas.get(Area.namespaces).problems.add(new Problem(Reason.NamespaceProtected, "Namespace kube-x is protected."));

        assertThat(condition(status(), "Ready").getReason()).isEqualTo("NamespaceProtected");
    }

    @Test
    void aBlockedDeletionOutranksEverything() {
        areas.get(Area.storage).problems.add(new Problem(Reason.StorageClassNotAllowed, "Class premium is not allowed."));

        ProductPlatformStatus status = status(Optional.of(new Problem(Reason.PersistentVolumeClaimsPresent, "Claims remain.")));

        assertThat(condition(status, "Ready").getReason()).isEqualTo("DeletionBlocked");
        assertThat(condition(status, "DeletionBlocked").getReason()).isEqualTo("PersistentVolumeClaimsPresent");
        assertThat(condition(status, "DeletionBlocked").getStatus()).isEqualTo("True");
    }

    @Test
    void anErrorOutsideTheApplyPathTurnsReadyFalseAndKeepsTheRest() {
        product.setStatus(status());

        ProductPlatformStatus failed = StatusAggregator.failed(product, "abc1234",
                new IllegalStateException("persistentvolumeclaims is forbidden: User cannot list\nsecond line"));

        assertThat(condition(failed, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(failed, "Ready").getReason()).isEqualTo("ReconcileFailed");
        assertThat(condition(failed, "Ready").getMessage())
                .isEqualTo("Reconciling failed and is retried: persistentvolumeclaims is forbidden: User cannot list");
        assertThat(condition(failed, "StorageReady")).isEqualTo(condition(product.getStatus(), "StorageReady"));
        assertThat(failed.namespaces()).isEqualTo(product.getStatus().namespaces());
    }

    @Test
    void theSameFactsGiveTheSameStatusSoNothingIsWritten() {
        product.setStatus(status());

        assertThat(status()).isEqualTo(product.getStatus());
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItFlips() {
        ProductPlatformStatus first = status();
        Condition ready = condition(first, "Ready");
        ready.setLastTransitionTime("2026-01-01T00:00:00Z");
        product.setStatus(first);

        assertThat(condition(status(), "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        areas.get(Area.storage).problems.add(new Problem(Reason.StorageClassNotAllowed, "Class premium is not allowed."));
        assertThat(condition(status(), "Ready").getLastTransitionTime()).isNotEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void networkingNamesPeersThatHaveNoNamespaceYet() {
        peers = new PeerNamespaces(Map.of("pay", Map.of("prod", "pay-prod")));

        assertThat(condition(status(), "NetworkingReady").getMessage()).isEqualTo("NetworkPolicies are in place in all 2 "
                + "namespaces. Peer pay has no namespace for staging yet; it is allowed there as soon as groundwork manages one.");
    }

    @Test
    void loggingSaysWhichFormApplies() {
        flowApi = false;

        assertThat(condition(status(), "LoggingReady").getReason()).isEqualTo("LogPipelineMissing");
        assertThat(condition(status(), "LoggingReady").getStatus()).isEqualTo("True");
    }

    @Test
    void everyReasonIsRankedByTheOneRule() {
        assertThat(StatusAggregator.rank(Reason.ApplyFailed)).isLessThan(StatusAggregator.rank(Reason.RepairBackedOff));
        assertThat(StatusAggregator.rank(Reason.RepairBackedOff)).isLessThan(StatusAggregator.rank(Reason.DriftReported));
        assertThat(StatusAggregator.rank(Reason.StorageClassNotAllowed)).isLessThan(StatusAggregator.rank(Reason.ApplyFailed));
    }
}
