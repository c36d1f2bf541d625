package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.AdoptionPolicy;
import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.Problem;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.drift.Finding;
import dev.groundwork.drift.ProductMemory;
import dev.groundwork.drift.RepairBackoff;
import dev.groundwork.standard.Standard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync engine against an in-memory view of live objects: what it writes, finds and remembers. */
class ProductSyncTest {
    private static final String SPEC = """
            team: shop-team
            tier: critical
            environments: [{name: prod}, {name: staging}]
            networking:
              allowEgressCIDRs: [{cidr: 203.0.113.0/24, ports: [443]}]
            """;
    private static final ObjectKey PROD_NS = new ObjectKey("Namespace", null, "shop-prod");
    private static final ObjectKey DENY = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-default-deny");
    private static final ObjectKey QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey TEAM = new ObjectKey("RoleBinding", "shop-prod", "groundwork-team");

    private final FakeCluster cluster = new FakeCluster();
    private final ProductMemory memory = new ProductMemory();
    private ProductSync sync = new ProductSync(cluster, cluster, new NamespaceClaims(cluster::namespace),
            RepairBackoff.repairs(), RepairBackoff.failedApplies());

    private ProductSync.Result sync(String spec) {
        return sync(spec, StandardLoader.defaults().standard());
    }

    private ProductSync.Result sync(String spec, Standard standard) {
        ProductPlatform product = FakeCluster.product("shop", spec);
        ResolvedProduct resolved = new ProductResolver(standard, new HashSet<>(standard.protectedNamespaces())).resolve(product);
        ClusterFacts facts = new ClusterFacts(new TreeSet<>(List.of("standard-rwo")), false, PeerNamespaces.NONE);
        return sync.sync(new BaselinePlanner(standard).plan(resolved, facts, ns -> Map.of()), memory);
    }

    private static Standard adoption(AdoptionPolicy policy) {
        Standard s = StandardLoader.defaults().standard();
        return new Standard(s.podSecurity(), s.tiers(), s.storage(), s.ingressController(), s.monitoring(), s.dns(),
                s.logging(), s.environments(), s.protectedNamespaces(), policy, s.access());
    }

    /** shop-prod exists, made by someone else, optionally with the consent label naming a product. */
    private void existingNamespace(String consentFor) {
        NamespaceBuilder namespace = new NamespaceBuilder().withNewMetadata().withName("shop-prod")
                .addToLabels("team", "vault-owners").withResourceVersion("7").endMetadata();
        if (consentFor != null) {
            namespace.editMetadata().addToLabels("groundwork.dev/adopt", consentFor).endMetadata();
        }
        cluster.put(namespace.build());
    }

    private ProductSync.Result sync() {
        return sync(SPEC);
    }

    private static List<Finding> findings(ProductSync.Result result) {
        return result.findings();
    }

    @Test
    void aNewProductIsCreatedWholeWithoutAnyDriftRecord() {
        ProductSync.Result result = sync();

        assertThat(cluster.objects).containsKeys(PROD_NS, DENY, QUOTA, TEAM, new ObjectKey("Namespace", null, "shop-staging"));
        assertThat(findings(result)).isEmpty();
        assertThat(result.namespaces()).extracting(n -> n.name() + "=" + n.state())
                .containsExactly("shop-prod=" + NamespaceState.Ready, "shop-staging=" + NamespaceState.Ready);
        assertThat(result.managedObjects()).isEqualTo(cluster.objects.size());
        assertThat(result.nextAttempt()).isEmpty();
    }

    @Test
    void aSecondSyncWithEverythingInPlaceWritesNothing() {
        sync();
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).isEmpty();
        assertThat(findings(result)).isEmpty();
    }

    @Test
    void anObjectSeenInPlaceAndThenDeletedIsRepairedAndRecordedAsMissing() {
        sync();
        cluster.objects.remove(DENY);
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).containsExactly("apply " + DENY);
        assertThat(findings(result)).singleElement().satisfies(f -> {
            assertThat(f.object()).isEqualTo(DENY);
            assertThat(f.change()).isEqualTo(DriftChange.Missing);
            assertThat(f.action()).isEqualTo(DriftAction.Repaired);
            assertThat(f.area()).isEqualTo(Area.networking);
        });
    }

    @Test
    void anOwnedFieldSomeoneChangedIsRevertedAndNamed() {
        sync();
        cluster.edit(QUOTA, ResourceQuota.class, q -> q.getSpec().getHard().put("requests.storage", new Quantity("1Ti")));
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).containsExactly("apply " + QUOTA);
        assertThat(findings(result)).singleElement().satisfies(f -> {
            assertThat(f.change()).isEqualTo(DriftChange.Modified);
            assertThat(f.fields()).containsExactly("spec.hard.requests.storage");
            assertThat(f.action()).isEqualTo(DriftAction.Repaired);
        });
    }

    @Test
    void aChangedSpecIsAnUpdateNotDrift() {
        sync();
        cluster.writes.clear();

        ProductSync.Result result = sync(SPEC + "storage: {maxTotal: 20Gi, maxClaimSize: 5Gi}\n");

        assertThat(cluster.writes).contains("apply " + QUOTA);
        assertThat(findings(result)).isEmpty();
    }

    @Test
    void aFreshMemoryTreatsMissingObjectsAsCreationsSoAReAddedEnvironmentHasNoFalseDrift() {
        sync();
        cluster.objects.remove(DENY);
        cluster.objects.remove(QUOTA);
        memory.forgetNamespace("shop-prod");

        ProductSync.Result result = sync();

        assertThat(cluster.objects).containsKeys(DENY, QUOTA);
        assertThat(findings(result)).isEmpty();
    }

    @Test
    void anObjectGroundworkReleasedEarlierIsTakenBackWithoutADriftRecord() {
        sync();
        cluster.unmanage(cluster.objects.get(PROD_NS));
        cluster.edit(PROD_NS, Namespace.class, ns -> ns.getMetadata().getAnnotations().put("groundwork.dev/retained", "2026-11-25T10:00:00Z"));
        memory.forgetNamespace("shop-prod");
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).contains("apply " + PROD_NS);
        assertThat(cluster.namespace("shop-prod").getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "groundwork");
        assertThat(findings(result)).isEmpty();
    }

    @Test
    void auditModeWritesNothingAndReportsWhatEnforceWouldDo() {
        String audit = SPEC + "mode: Audit\n";
        sync();
        cluster.objects.remove(DENY);
        cluster.edit(QUOTA, ResourceQuota.class, q -> q.getSpec().getHard().put("requests.storage", new Quantity("1Ti")));
        cluster.writes.clear();

        ProductSync.Result result = sync(audit);

        assertThat(cluster.writes).isEmpty();
        assertThat(findings(result)).extracting(f -> f.object() + " " + f.change() + " " + f.action())
                .containsExactlyInAnyOrder(DENY + " Missing Reported", QUOTA + " Modified Reported");
    }

    @Test
    void auditModeCreatesNothingForANewProduct() {
        ProductSync.Result result = sync(SPEC + "mode: Audit\n");

        assertThat(cluster.writes).isEmpty();
        assertThat(result.namespaces()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NamespaceState.Pending));
    }

    @Test
    void aSecondRepairSoonAfterTheFirstIsHeldBackAndScheduled() {
        sync();
        cluster.objects.remove(DENY);
        sync();
        cluster.objects.remove(DENY);
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).as("backed off: no write").isEmpty();
        assertThat(result.areas().get(Area.networking).deferred).singleElement()
                .satisfies(d -> assertThat(d.finding().object()).isEqualTo(DENY));
        assertThat(result.nextAttempt()).isPresent();
    }

    @Test
    void aRefusedApplyIsReportedWithTheServersMessageAndScheduledForARetry() {
        cluster.refuse(o -> o instanceof ResourceQuota, 403, "admission webhook denied the request: quota too large");

        ProductSync.Result result = sync();

        assertThat(result.refused()).filteredOn(f -> f.action() == DriftAction.RepairFailed)
                .extracting(Finding::error).containsOnly("admission webhook denied the request: quota too large");
        assertThat(result.drifts()).as("nobody changed the quota: a refused creation is no drift").isEmpty();
        assertThat(result.nextAttempt()).as("retried by a reschedule, not the resync").isPresent();
        assertThat(Duration.between(java.time.Instant.now(), result.nextAttempt().get())).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRefusedUpdateForAChangedSpecOrStandardIsAFailedApplyNotDrift() {
        sync();
        cluster.refuse(o -> o instanceof ResourceQuota, 403, "site policy: quotas of 20Gi are not allowed");

        ProductSync.Result result = sync(SPEC + "storage: {maxTotal: 20Gi, maxClaimSize: 5Gi}\n");

        assertThat(result.drifts()).as("nobody changed the quotas").isEmpty();
        assertThat(result.refused()).extracting(Finding::object).containsExactlyInAnyOrder(QUOTA,
                new ObjectKey("ResourceQuota", "shop-staging", "groundwork-storage"));
        assertThat(result.refused()).extracting(Finding::error).containsOnly("site policy: quotas of 20Gi are not allowed");
    }

    @Test
    void aRefusedRepairOfRealDriftStaysDrift() {
        sync();
        cluster.edit(QUOTA, ResourceQuota.class, q -> q.getSpec().getHard().put("requests.storage", new Quantity("1Ti")));
        cluster.refuse(o -> o instanceof ResourceQuota, 403, "admission webhook denied the request");

        ProductSync.Result result = sync();

        assertThat(result.refused()).isEmpty();
        assertThat(result.drifts()).singleElement().satisfies(f -> {
            assertThat(f.change()).isEqualTo(DriftChange.Modified);
            assertThat(f.action()).isEqualTo(DriftAction.RepairFailed);
        });
    }

    @Test
    void aRefusedApplyIsNotHammeredBeforeItsRetryIsDue() {
        cluster.refuse(o -> o instanceof ResourceQuota, 500, "etcdserver: request timed out");
        sync();
        cluster.writes.clear();

        ProductSync.Result result = sync();

        assertThat(cluster.writes).noneMatch(w -> w.contains("ResourceQuota"));
        assertThat(result.refused()).filteredOn(f -> f.object().equals(QUOTA)).singleElement()
                .satisfies(f -> assertThat(f.error()).isEqualTo("etcdserver: request timed out"));
    }

    @Test
    void aRefusalThatEndedIsFollowedByASuccessfulApplyAtTheRetry() {
        sync = new ProductSync(cluster, cluster, new NamespaceClaims(cluster::namespace), RepairBackoff.repairs(),
                new RepairBackoff(RepairBackoff.Track.FAILED_APPLIES, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        cluster.refuse(o -> o instanceof ResourceQuota, 429, "too many requests");
        sync();
        cluster.stopRefusing();

        ProductSync.Result result = sync();

        assertThat(cluster.objects).containsKey(QUOTA);
        assertThat(findings(result)).isEmpty();
        assertThat(memory.lastFailure(QUOTA)).isEmpty();
    }

    @Test
    void aNamespaceOfAnotherProductIsLeftUntouched() {
        cluster.put(new NamespaceBuilder().withNewMetadata().withName("shop-prod")
                .withLabels(Map.of("groundwork.dev/product", "other", "app.kubernetes.io/managed-by", "groundwork"))
                .withResourceVersion("7").endMetadata().build());

        ProductSync.Result result = sync();

        assertThat(cluster.namespace("shop-prod").getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cluster.writes).noneMatch(w -> w.contains("shop-prod"));
        assertThat(result.namespaces()).filteredOn(n -> n.name().equals("shop-prod")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NamespaceState.Conflict));
        assertThat(result.areas().get(Area.namespaces).problems).extracting(Problem::reason)
                .containsExactly(Reason.NamespaceOwnedByAnotherProduct);
    }

    @Test
    void aTerminatingNamespaceWaits() {
        cluster.put(new NamespaceBuilder().withNewMetadata().withName("shop-prod").withDeletionTimestamp("2026-11-25T10:00:00Z")
                .endMetadata().build());

        ProductSync.Result result = sync();

        assertThat(result.namespaces()).filteredOn(n -> n.name().equals("shop-prod")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NamespaceState.Pending));
        assertThat(result.areas().get(Area.namespaces).problems).extracting(Problem::reason)
                .containsExactly(Reason.NamespaceTerminating);
    }

    @Test
    void anExistingNamespaceWithoutItsOwnersConsentGetsNothingAndSaysHowToConsent() {
        existingNamespace(null);

        ProductSync.Result result = sync();

        assertThat(cluster.writes).noneMatch(w -> w.contains("shop-prod"));
        assertThat(cluster.namespace("shop-prod").getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(cluster.writes).anyMatch(w -> w.contains("shop-staging"));
        assertThat(result.namespaces()).filteredOn(n -> n.name().equals("shop-prod")).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NamespaceState.Pending));
        assertThat(result.areas().get(Area.namespaces).problems).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(Reason.AdoptionNotConsented);
            assertThat(p.message()).contains("kubectl label namespace shop-prod groundwork.dev/adopt=shop");
        });
        assertThat(result.skipped()).containsExactly(new ProductSync.Skipped("prod", "shop-prod", Reason.AdoptionNotConsented));
    }

    @Test
    void anExistingNamespaceIsAdoptedWithItsOwnersConsent() {
        existingNamespace("shop");

        ProductSync.Result result = sync();

        Namespace adopted = cluster.namespace("shop-prod");
        assertThat(adopted.getMetadata().getLabels()).containsEntry("groundwork.dev/product", "shop")
                .containsEntry("team", "vault-owners");
        assertThat(cluster.get(TEAM)).isPresent();
        assertThat(result.skipped()).isEmpty();
        assertThat(result.areas().get(Area.namespaces).problems).isEmpty();
    }

    @Test
    void consentForAnotherProductIsNoConsent() {
        existingNamespace("payments");

        ProductSync.Result result = sync();

        assertThat(cluster.writes).noneMatch(w -> w.contains("shop-prod"));
        assertThat(result.areas().get(Area.namespaces).problems).extracting(Problem::reason)
                .containsExactly(Reason.AdoptionNotConsented);
    }

    @Test
    void theStandardMayForbidAdoptionEvenWithConsentOrAllowItWithout() {
        existingNamespace("shop");
        ProductSync.Result forbidden = sync(SPEC, adoption(AdoptionPolicy.Never));
        assertThat(cluster.writes).noneMatch(w -> w.contains("shop-prod"));
        assertThat(forbidden.areas().get(Area.namespaces).problems).extracting(Problem::reason)
                .containsExactly(Reason.AdoptionForbidden);

        existingNamespace(null);
        ProductSync.Result always = sync(SPEC, adoption(AdoptionPolicy.Always));
        assertThat(cluster.namespace("shop-prod").getMetadata().getLabels()).containsEntry("groundwork.dev/product", "shop");
        assertThat(always.skipped()).isEmpty();
    }

    @Test
    void auditModeComparesNothingInANamespaceWithoutConsent() {
        existingNamespace(null);

        ProductSync.Result result = sync(SPEC + "mode: Audit\n");

        assertThat(cluster.writes).isEmpty();
        assertThat(result.findings()).noneMatch(f -> "shop-prod".equals(f.object().namespace())
                || "shop-prod".equals(f.object().name()));
        assertThat(result.skipped()).extracting(ProductSync.Skipped::environment).containsExactly("prod");
    }

    @Test
    void aNamespaceGroundworkAlreadyManagesNeedsNoConsent() {
        sync();
        cluster.writes.clear();

        ProductSync.Result again = sync();

        assertThat(again.areas().get(Area.namespaces).problems).isEmpty();
        assertThat(again.skipped()).isEmpty();
        assertThat(cluster.writes).isEmpty();
    }

    @Test
    void managedObjectsNoLongerDesiredArePrunedAndForgotten() {
        sync();
        cluster.writes.clear();

        sync(SPEC.replace("  allowEgressCIDRs: [{cidr: 203.0.113.0/24, ports: [443]}]\n", "  allowEgressCIDRs: []\n"));

        assertThat(cluster.writes).contains("delete NetworkPolicy shop-prod/groundwork-allow-egress",
                "delete NetworkPolicy shop-staging/groundwork-allow-egress");
        assertThat(memory.wasSeen(new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-allow-egress"))).isFalse();
    }

    @Test
    void nothingIsPrunedInAnAuditArea() {
        sync();
        cluster.writes.clear();

        sync(SPEC.replace("  allowEgressCIDRs: [{cidr: 203.0.113.0/24, ports: [443]}]\n", "  mode: Audit\n"));

        assertThat(cluster.writes).noneMatch(w -> w.startsWith("delete"));
    }

    @Test
    void aChangedRoleIsDeleteAndCreateAndNotDrift() {
        sync();
        cluster.writes.clear();

        ProductSync.Result result = sync(SPEC.replace("tier: critical", "tier: sandbox"));

        assertThat(cluster.writes).contains("recreate " + TEAM);
        assertThat(((RoleBinding) cluster.objects.get(TEAM)).getRoleRef().getName()).isEqualTo("edit");
        assertThat(findings(result)).isEmpty();
    }

    @Test
    void aChangedNamespaceAnnotationAlsoConcernsTheAreaItCarries() {
        sync();
        cluster.edit(PROD_NS, Namespace.class, ns -> ns.getMetadata().getAnnotations().put("groundwork.dev/log-sink", "elsewhere"));

        ProductSync.Result result = sync(SPEC + "mode: Audit\n");

        assertThat(result.areas().get(Area.logging).related).singleElement()
                .satisfies(f -> assertThat(f.object()).isEqualTo(PROD_NS));
        assertThat(result.areas().get(Area.storage).related).isEmpty();
    }
}
