package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.Problem;
import dev.groundwork.drift.ProductMemory;
import dev.groundwork.drift.RepairBackoff;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deletion policy on namespaces a product no longer wants, against an in-memory cluster. */
class DeletionPolicyHandlerTest {
    private static final String SPEC = """
            team: shop-team
            tier: critical
            deletionPolicy: %s
            environments: [{name: prod}, {name: staging}]
            """;
    private static final ObjectKey PROD_NS = new ObjectKey("Namespace", null, "shop-prod");
    private static final ObjectKey STAGING_NS = new ObjectKey("Namespace", null, "shop-staging");
    private static final Set<String> KEEP_PROD = Set.of("shop-prod");

    private final FakeCluster cluster = new FakeCluster();
    private final ProductMemory memory = new ProductMemory();
    private final Map<String, Integer> claims = new HashMap<>();
    private final DeletionPolicyHandler handler = new DeletionPolicyHandler(cluster, cluster,
            namespace -> claims.getOrDefault(namespace, 0));
    /** The namespaces as the product's status claims them once its baseline is in place. */
    private final List<NamespaceStatus> claimed;

    DeletionPolicyHandlerTest() {
        ProductSync sync = new ProductSync(cluster, cluster, new NamespaceClaims(cluster::namespace),
                RepairBackoff.repairs(), RepairBackoff.failedApplies());
        ClusterFacts facts = new ClusterFacts(new java.util.TreeSet<>(List.of("standard-rwo")), false, PeerNamespaces.NONE);
        var baseline = new BaselinePlanner(StandardLoader.defaults().standard())
                .plan(FakeCluster.resolve(product("Delete", null)), facts, ns -> Map.of());
        sync.sync(baseline, memory);
        // The second pass finds everything in place: the memory has seen it.
        claimed = sync.sync(baseline, memory).namespaces();
        cluster.writes.clear();
    }

    private static ProductPlatform product(String policy, List<NamespaceStatus> namespaces) {
        ProductPlatform product = FakeCluster.product("shop", SPEC.formatted(policy));
        if (namespaces != null) {
            product.setStatus(new ProductPlatformStatus(1L, "abc1234", 20, namespaces, List.of(), null));
        }
        return product;
    }

    private DeletionPolicyHandler.Outcome release(String policy, Set<String> keep) {
        return handler.release(product(policy, claimed), keep, memory);
    }

    private List<ObjectKey> in(String namespace) {
        return cluster.objects.keySet().stream().filter(k -> namespace.equals(k.namespace())
                || (k.namespace() == null && namespace.equals(k.name()))).toList();
    }

    private String problem(DeletionPolicyHandler.Outcome outcome) {
        return outcome.blocked().map(Problem::message).orElseThrow();
    }

    @Test
    void retainLeavesEveryObjectOfAReleasedNamespaceInPlaceNoLongerManagedAndForgetsIt() {
        List<ObjectKey> staging = in("shop-staging");
        claims.put("shop-staging", 2);
        assertThat(memory.wasSeen(STAGING_NS)).isTrue();

        DeletionPolicyHandler.Outcome outcome = release("Retain", KEEP_PROD);

        assertThat(outcome.namespaces()).containsExactly(new NamespaceStatus("shop-staging", "staging", NamespaceState.Retained,
                "Kept with its baseline by deletionPolicy Retain; no longer managed."));
        assertThat(outcome.blocked()).isEmpty();
        assertThat(cluster.writes).hasSize(staging.size()).allMatch(w -> w.startsWith("unmanage "))
                .endsWith("unmanage " + STAGING_NS);
        assertThat(in("shop-staging")).containsExactlyElementsOf(staging);
        assertThat(staging).allSatisfy(key -> assertThat(cluster.get(key)).isEmpty());
        assertThat(memory.wasSeen(STAGING_NS)).isFalse();
        assertThat(memory.wasSeen(PROD_NS)).isTrue();
    }

    @Test
    void deleteRemovesTheObjectsInsideAndThenTheNamespace() {
        List<ObjectKey> staging = in("shop-staging");
        List<ObjectKey> prod = in("shop-prod");

        DeletionPolicyHandler.Outcome outcome = release("Delete", KEEP_PROD);

        assertThat(outcome.namespaces()).isEmpty();
        assertThat(outcome.blocked()).isEmpty();
        assertThat(cluster.writes).hasSize(staging.size()).allMatch(w -> w.startsWith("delete "))
                .endsWith("delete " + STAGING_NS);
        assertThat(in("shop-staging")).isEmpty();
        assertThat(in("shop-prod")).containsExactlyElementsOf(prod);
        assertThat(memory.wasSeen(STAGING_NS)).isFalse();
    }

    @Test
    void deleteNeverRemovesANamespaceThatHoldsPersistentVolumeClaims() {
        claims.put("shop-staging", 1);

        DeletionPolicyHandler.Outcome outcome = release("Delete", KEEP_PROD);

        assertThat(cluster.writes).isEmpty();
        assertThat(outcome.namespaces()).containsExactly(new NamespaceStatus("shop-staging", "staging", NamespaceState.Retained,
                "Deletion blocked: the namespace holds PersistentVolumeClaims."));
        assertThat(outcome.blocked()).map(Problem::reason).contains(Reason.PersistentVolumeClaimsPresent);
        assertThat(problem(outcome)).isEqualTo("Not deleting namespace shop-staging (1 PersistentVolumeClaim): deleting "
                + "would lose data. Remove the claims, or annotate the ProductPlatform with "
                + "groundwork.dev/allow-data-loss=\"true\".");
        assertThat(memory.wasSeen(STAGING_NS)).isTrue();
    }

    @Test
    void everyBlockedNamespaceIsNamedWithItsClaims() {
        claims.put("shop-prod", 3);
        claims.put("shop-staging", 1);

        DeletionPolicyHandler.Outcome outcome = release("Delete", Set.of());

        assertThat(problem(outcome)).startsWith("Not deleting namespace shop-prod (3 PersistentVolumeClaims), "
                + "shop-staging (1 PersistentVolumeClaim): deleting would lose data.");
        assertThat(outcome.namespaces()).extracting(NamespaceStatus::name).containsExactly("shop-prod", "shop-staging");
        assertThat(cluster.writes).isEmpty();
    }

    @Test
    void aBlockedNamespaceDoesNotKeepTheOthersFromBeingDeleted() {
        claims.put("shop-prod", 3);

        DeletionPolicyHandler.Outcome outcome = release("Delete", Set.of());

        assertThat(outcome.namespaces()).extracting(NamespaceStatus::name).containsExactly("shop-prod");
        assertThat(in("shop-staging")).isEmpty();
        assertThat(in("shop-prod")).isNotEmpty();
    }

    @Test
    void allowingDataLossDeletesANamespaceWithClaims() {
        claims.put("shop-staging", 4);
        ProductPlatform product = product("Delete", claimed);
        product.getMetadata().setAnnotations(Map.of(ProductPlatform.ALLOW_DATA_LOSS_ANNOTATION, "true"));

        DeletionPolicyHandler.Outcome outcome = handler.release(product, KEEP_PROD, memory);

        assertThat(outcome.blocked()).isEmpty();
        assertThat(in("shop-staging")).isEmpty();
    }

    @Test
    void onlyNamespacesTheStatusSaysGroundworkClaimedAreReleased() {
        // Labelled for the product, but its status says another product holds shop-staging.
        List<NamespaceStatus> conflict = List.of(claimed.get(0),
                new NamespaceStatus("shop-staging", "staging", NamespaceState.Conflict, "claimed by another product"));

        DeletionPolicyHandler.Outcome outcome = handler.release(product("Delete", conflict), Set.of(), memory);

        assertThat(outcome.namespaces()).isEmpty();
        assertThat(in("shop-prod")).isEmpty();
        assertThat(in("shop-staging")).isNotEmpty();
        assertThat(cluster.writes).noneMatch(w -> w.contains("shop-staging"));
    }

    @Test
    void aProductWithoutStatusReleasesNothing() {
        DeletionPolicyHandler.Outcome outcome = handler.release(product("Delete", null), Set.of(), memory);

        assertThat(outcome.namespaces()).isEmpty();
        assertThat(outcome.blocked()).isEmpty();
        assertThat(cluster.writes).isEmpty();
    }

    @Test
    void anObjectAlreadyGoneDoesNotStopTheDeletion() {
        cluster.refuseDeletes(o -> "Namespace".equals(o.getKind()), 404);

        DeletionPolicyHandler.Outcome outcome = release("Delete", KEEP_PROD);

        assertThat(outcome.blocked()).isEmpty();
        assertThat(cluster.writes).contains("refused delete " + STAGING_NS);
        assertThat(memory.wasSeen(STAGING_NS)).isFalse();
    }

    @Test
    void aDeletionTheApiServerRefusesFailsTheRelease() {
        cluster.refuseDeletes(o -> "Namespace".equals(o.getKind()), 403);

        assertThatThrownBy(() -> release("Delete", KEEP_PROD)).isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(403);
        assertThat(memory.wasSeen(STAGING_NS)).isTrue();
    }
}
