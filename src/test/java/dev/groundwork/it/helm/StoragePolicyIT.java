package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance 4: with the chart's ValidatingAdmissionPolicy installed, the API server rejects a
 * PersistentVolumeClaim whose StorageClass is not allowed in its product namespace, with the policy's message,
 * and admits an allowed one. The namespaces and their allowed-classes annotation are written by the operator (the
 * packaged one, run as the chart's pod), from products and a standard set through the chart's values.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoragePolicyIT {
    private static final String NAMESPACE = "gw-policy-system";
    private static final String DATA = "sp-data-prod";
    private static final String LAB = "sp-lab-dev";
    private static final String DEFAULT_CLASS = "sp-default";
    private static final String PROBE = "sp-policy-probe";

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ChartOperator operator;
    private static String policy;

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        release = ChartRelease.install("gw-policy", NAMESPACE, """
                # Cluster-wide; NamespaceIdentityPolicyIT proves it. Left out: this test labels a probe namespace.
                namespaceIdentityPolicy:
                  enabled: false
                standard:
                  storage:
                    allowedClasses: [standard-rwo, fast-rwo, standard-rwx, sp-default]
                """);
        policy = release.fullname() + "-storage-classes";
        operator = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-6f7d9-ppppp",
                ServiceAccountAccess.of(admin, NAMESPACE, release.fullname())).awaitStarted(Duration.ofSeconds(90));
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: sp-data
                spec:
                  team: data
                  environments:
                    - name: prod
                  storage:
                    classes: [standard-rwo, fast-rwo]
                """);
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: sp-lab
                spec:
                  team: lab
                  tier: sandbox
                  environments:
                    - name: dev
                  storage:
                    classes: [standard-rwx, sp-default]
                """);
        for (String product : List.of("sp-data", "sp-lab")) {
            TestOperator.awaitStatus(admin, product, p -> assertThat(Products.isTrue(p, "Ready")).as("%s\n%s", p.getStatus(), operator.log()).isTrue());
        }
        assertThat(admin.namespaces().withName(LAB).get().getMetadata().getAnnotations())
                .containsEntry("groundwork.dev/allowed-storage-classes", "standard-rwx,sp-default");
        // The API server takes a moment to start enforcing a new policy.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> rejection(() -> admin.resource(claim(LAB, "probe", "fast-rwo")).dryRun().create()) != null);
    }

    @AfterAll
    static void uninstall() {
        try {
            for (String product : List.of("sp-data", "sp-lab")) {
                admin.resources(ProductPlatform.class).withName(product).delete();
            }
            for (String product : List.of("sp-data", "sp-lab")) {
                admin.resources(ProductPlatform.class).withName(product).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
            }
        } finally {
            operator.close();
            release.close();
            admin.storage().v1().storageClasses().withName(DEFAULT_CLASS).delete();
            awaitPolicyGone();
            admin.close();
        }
    }

    /** helm uninstall removed the policy; wait until the API server stops enforcing it, so no later test meets it. */
    private static void awaitPolicyGone() {
        assertThat(admin.resources(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class)
                .withName(policy).get()).isNull();
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(PROBE)
                .addToLabels("app.kubernetes.io/managed-by", "groundwork")
                .addToAnnotations("groundwork.dev/allowed-storage-classes", "none")
                .endMetadata().build()).serverSideApply();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> rejection(() -> admin.resource(claim(PROBE, "probe", "fast-rwo")).dryRun().create()) == null);
        admin.namespaces().withName(PROBE).edit(ns -> {
            ns.getMetadata().getLabels().remove("app.kubernetes.io/managed-by");
            return ns;
        });
    }

    private static PersistentVolumeClaim claim(String namespace, String name, String storageClass) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .build();
    }

    /** @return the API server's refusal, or null when the request was admitted */
    private static KubernetesClientException rejection(Runnable request) {
        try {
            request.run();
            return null;
        } catch (KubernetesClientException e) {
            return e;
        }
    }

    private static String rejectionMessage(PersistentVolumeClaim claim) {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> admin.resource(claim).create());
        assertThat(e).as("%s/%s with class %s was admitted", claim.getMetadata().getNamespace(), claim.getMetadata().getName(),
                claim.getSpec().getStorageClassName()).isNotNull();
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
        assertThat(admin.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).get()).isNull();
        return e.getStatus().getMessage();
    }

    /** There is no kube-controller-manager: fill in the quota's status as its quota controller would, or every claim is refused. */
    private static void actAsQuotaController(String namespace) {
        ResourceQuota quota = admin.resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get();
        Map<String, Quantity> used = new HashMap<>();
        quota.getSpec().getHard().keySet().forEach(k -> used.put(k, new Quantity("0")));
        quota.setStatus(new ResourceQuotaStatusBuilder().withHard(quota.getSpec().getHard()).withUsed(used).build());
        admin.resource(quota).updateStatus();
    }

    @Test
    @Order(1)
    void aClassNotAllowedInTheProductNamespaceIsRejectedWithThePolicysMessage() {
        assertThat(rejectionMessage(claim(LAB, "scratch", "fast-rwo")))
                .startsWith("persistentvolumeclaims \"scratch\" is forbidden: ValidatingAdmissionPolicy '" + policy
                        + "' with binding '" + policy + "' denied request: ")
                .endsWith("StorageClass fast-rwo is not allowed in namespace sp-lab-dev (product sp-lab). "
                        + "Allowed: standard-rwx, sp-default (the product's spec.storage.classes).");
        // A class the standard allows, but this product does not.
        assertThat(rejectionMessage(claim(DATA, "shared", "standard-rwx")))
                .endsWith("StorageClass standard-rwx is not allowed in namespace sp-data-prod (product sp-data). "
                        + "Allowed: standard-rwo, fast-rwo (the product's spec.storage.classes).");
    }

    @Test
    @Order(2)
    void anAllowedClassIsAdmitted() {
        actAsQuotaController(LAB);
        actAsQuotaController(DATA);
        admin.resource(claim(LAB, "notebooks", "standard-rwx")).create();
        admin.resource(claim(DATA, "ledger", "fast-rwo")).create();
        assertThat(admin.persistentVolumeClaims().inNamespace(LAB).withName("notebooks").get().getSpec().getStorageClassName())
                .isEqualTo("standard-rwx");
        assertThat(admin.persistentVolumeClaims().inNamespace(DATA).withName("ledger").get()).isNotNull();
    }

    @Test
    @Order(3)
    void withoutADefaultClassAClaimMustNameOne() {
        assertThat(admin.storage().v1().storageClasses().list().getItems()).as("no default StorageClass in the cluster")
                .noneMatch(sc -> sc.getMetadata().getAnnotations() != null
                        && "true".equals(sc.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class")));
        assertThat(rejectionMessage(claim(LAB, "unnamed", null)))
                .endsWith("a PersistentVolumeClaim in namespace sp-lab-dev (product sp-lab) must name an allowed StorageClass: "
                        + "it names none and the cluster has no default class. Allowed: standard-rwx, sp-default "
                        + "(the product's spec.storage.classes).");
        assertThat(rejectionMessage(claim(LAB, "classless", "")))
                .contains("must name an allowed StorageClass: storageClassName \"\" selects none.");
    }

    @Test
    @Order(4)
    void aClaimWithoutClassIsJudgedByTheDefaultClassTheApiServerFillsIn() {
        admin.resource(new StorageClassBuilder().withNewMetadata().withName(DEFAULT_CLASS)
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true").endMetadata()
                .withProvisioner("example.com/disk").build()).create();
        try {
            // The operator opens the new class in the quota of the product that may use it (and closes it elsewhere).
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.resourceQuotas().inNamespace(LAB)
                    .withName("groundwork-storage").get().getSpec().getHard())
                    .containsKey(DEFAULT_CLASS + ".storageclass.storage.k8s.io/requests.storage"));
            actAsQuotaController(LAB);
            admin.resource(claim(LAB, "defaulted", null)).create();
            assertThat(admin.persistentVolumeClaims().inNamespace(LAB).withName("defaulted").get().getSpec().getStorageClassName())
                    .isEqualTo(DEFAULT_CLASS);
            assertThat(rejectionMessage(claim(DATA, "defaulted", null)))
                    .endsWith("StorageClass sp-default is not allowed in namespace sp-data-prod (product sp-data). "
                            + "Allowed: standard-rwo, fast-rwo (the product's spec.storage.classes).");
        } finally {
            admin.storage().v1().storageClasses().withName(DEFAULT_CLASS).delete();
        }
    }

    @Test
    @Order(5)
    void namespacesNotManagedByGroundworkAreOutOfScope() {
        String namespace = "sp-unmanaged";
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToAnnotations("groundwork.dev/allowed-storage-classes", "standard-rwo").endMetadata().build()).serverSideApply();
        admin.resource(claim(namespace, "anything", "fast-rwo")).create();
        assertThat(admin.persistentVolumeClaims().inNamespace(namespace).withName("anything").get()).isNotNull();
    }
}
