package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The finalizer runs the deletion policy; nothing holding data is deleted without the product's consent. */
class DeletionIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();



    private static String product(String name, String policy) {
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                  team: deletion
                  environments:
                    - name: prod
                  deletionPolicy: %s
                """.formatted(name, policy);
    }

    private static void awaitGone(String name) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Products.named(running.admin(), name) == null);
    }

    @Test
    void retainKeepsNamespaceAndBaselineNoLongerManaged() {
        Products.apply(running.admin(), product("del-keep", "Retain"));
        TestOperator.awaitStatus(running.admin(), "del-keep", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());

        running.admin().resources(ProductPlatform.class).withName("del-keep").delete();
        awaitGone("del-keep");

        Namespace ns = running.admin().namespaces().withName("del-keep-prod").get();
        assertThat(ns.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(ns.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by")
                .containsEntry("groundwork.dev/product", "del-keep")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(ns.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained");
        assertThat(running.admin().network().v1().networkPolicies().inNamespace("del-keep-prod").list().getItems())
                .hasSize(4).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained"));
        assertThat(running.admin().resourceQuotas().inNamespace("del-keep-prod").withName("groundwork-storage").get()).isNotNull();
    }

    @Test
    void deleteIsBlockedByClaimsUntilDataLossIsAllowed() {
        Products.apply(running.admin(), product("del-data", "Delete"));
        TestOperator.awaitStatus(running.admin(), "del-data", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        actAsQuotaController("del-data-prod");
        running.admin().resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("ledger-data").withNamespace("del-data-prod").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .build()).create();

        running.admin().resources(ProductPlatform.class).withName("del-data").delete();
        ProductPlatform blocked = TestOperator.awaitStatus(running.admin(), "del-data",
                p -> assertThat(Products.isTrue(p, "DeletionBlocked")).isTrue());
        assertThat(Products.reason(blocked, "DeletionBlocked")).isEqualTo("PersistentVolumeClaimsPresent");
        assertThat(Products.condition(blocked, "DeletionBlocked").orElseThrow().getMessage())
                .contains("del-data-prod (1 PersistentVolumeClaim)").contains("groundwork.dev/allow-data-loss");
        assertThat(Products.reason(blocked, "Ready")).isEqualTo("DeletionBlocked");
        assertThat(running.admin().namespaces().withName("del-data-prod").get().getMetadata().getDeletionTimestamp()).isNull();
        assertThat(running.admin().network().v1().networkPolicies().inNamespace("del-data-prod").list().getItems()).hasSize(4);

        running.admin().resources(ProductPlatform.class).withName("del-data")
                .edit(p -> {
                    p.getMetadata().getAnnotations().put(ProductPlatform.ALLOW_DATA_LOSS_ANNOTATION, "true");
                    return p;
                });
        awaitGone("del-data");
        // No kube-controller-manager here: the namespace is marked for deletion and stays Terminating.
        assertThat(running.admin().namespaces().withName("del-data-prod").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(running.admin().network().v1().networkPolicies().inNamespace("del-data-prod").list().getItems()).isEmpty();
    }

    @Test
    void deleteWithoutClaimsRemovesNamespaceAndBaseline() {
        Products.apply(running.admin(), product("del-empty", "Delete"));
        TestOperator.awaitStatus(running.admin(), "del-empty", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        running.admin().resources(ProductPlatform.class).withName("del-empty").delete();
        awaitGone("del-empty");
        assertThat(running.admin().namespaces().withName("del-empty-prod").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(running.admin().resourceQuotas().inNamespace("del-empty-prod").list().getItems()).isEmpty();
    }

    /**
     * The ResourceQuota admission plugin rejects claims while a quota has no computed status, which the
     * quota controller of kube-controller-manager (absent here) would write.
     */
    private static void actAsQuotaController(String namespace) {
        ResourceQuota quota = running.admin().resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get();
        Map<String, Quantity> used = new HashMap<>();
        quota.getSpec().getHard().keySet().forEach(k -> used.put(k, new Quantity("0")));
        quota.setStatus(new ResourceQuotaStatusBuilder().withHard(quota.getSpec().getHard()).withUsed(used).build());
        running.admin().resource(quota).updateStatus();
    }
}
