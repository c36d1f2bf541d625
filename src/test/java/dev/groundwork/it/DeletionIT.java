package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The finalizer runs the deletion policy; nothing holding data is deleted without the product's consent. */
class DeletionIT {
    private static TestOperator operator;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        operator = TestOperator.start();
        admin = ApiServer.client();
    }

    @AfterAll
    static void stop() {
        operator.close();
        admin.close();
    }

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
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(ProductPlatform.class).withName(name).get() == null);
    }

    @Test
    void retainKeepsNamespaceAndBaselineNoLongerManaged() {
        Products.apply(admin, product("del-keep", "Retain"));
        TestOperator.awaitStatus(admin, "del-keep", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());

        admin.resources(ProductPlatform.class).withName("del-keep").delete();
        awaitGone("del-keep");

        Namespace ns = admin.namespaces().withName("del-keep-prod").get();
        assertThat(ns.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(ns.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by")
                .containsEntry("groundwork.dev/product", "del-keep")
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(ns.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained");
        assertThat(admin.network().v1().networkPolicies().inNamespace("del-keep-prod").list().getItems())
                .hasSize(4).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained"));
        assertThat(admin.resourceQuotas().inNamespace("del-keep-prod").withName("groundwork-storage").get()).isNotNull();
    }

    @Test
    void deleteIsBlockedByClaimsUntilDataLossIsAllowed() {
        Products.apply(admin, product("del-data", "Delete"));
        TestOperator.awaitStatus(admin, "del-data", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        actAsQuotaController("del-data-prod");
        admin.resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("ledger-data").withNamespace("del-data-prod").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .build()).create();

        admin.resources(ProductPlatform.class).withName("del-data").delete();
        ProductPlatform blocked = TestOperator.awaitStatus(admin, "del-data",
                p -> assertThat(Products.isTrue(p, "DeletionBlocked")).isTrue());
        assertThat(Products.reason(blocked, "DeletionBlocked")).isEqualTo("PersistentVolumeClaimsPresent");
        assertThat(Products.condition(blocked, "DeletionBlocked").orElseThrow().getMessage())
                .contains("del-data-prod (1 PersistentVolumeClaim)").contains("groundwork.dev/allow-data-loss");
        assertThat(Products.reason(blocked, "Ready")).isEqualTo("DeletionBlocked");
        assertThat(admin.namespaces().withName("del-data-prod").get().getMetadata().getDeletionTimestamp()).isNull();
        assertThat(admin.network().v1().networkPolicies().inNamespace("del-data-prod").list().getItems()).hasSize(4);

        admin.resources(ProductPlatform.class).withName("del-data")
                .edit(p -> {
                    p.getMetadata().getAnnotations().put(ProductPlatform.ALLOW_DATA_LOSS_ANNOTATION, "true");
                    return p;
                });
        awaitGone("del-data");
        // No kube-controller-manager here: the namespace is marked for deletion and stays Terminating.
        assertThat(admin.namespaces().withName("del-data-prod").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(admin.network().v1().networkPolicies().inNamespace("del-data-prod").list().getItems()).isEmpty();
    }

    @Test
    void deleteWithoutClaimsRemovesNamespaceAndBaseline() {
        Products.apply(admin, product("del-empty", "Delete"));
        TestOperator.awaitStatus(admin, "del-empty", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        admin.resources(ProductPlatform.class).withName("del-empty").delete();
        awaitGone("del-empty");
        assertThat(admin.namespaces().withName("del-empty-prod").get().getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(admin.resourceQuotas().inNamespace("del-empty-prod").list().getItems()).isEmpty();
    }

    /**
     * The ResourceQuota admission plugin rejects claims while a quota has no computed status, which the
     * quota controller of kube-controller-manager (absent here) would write.
     */
    private static void actAsQuotaController(String namespace) {
        ResourceQuota quota = admin.resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get();
        Map<String, Quantity> used = new HashMap<>();
        quota.getSpec().getHard().keySet().forEach(k -> used.put(k, new Quantity("0")));
        quota.setStatus(new ResourceQuotaStatusBuilder().withHard(quota.getSpec().getHard()).withUsed(used).build());
        admin.resource(quota).updateStatus();
    }
}
