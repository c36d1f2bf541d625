package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Helm;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance 6: the platform team changes the standard in the chart's values. helm upgrade rewrites the standard's
 * ConfigMap and the checksum on the pod template (which rolls the pods in a cluster); the restarted operator (the
 * packaged one, run as the new pod from the upgraded Deployment and ConfigMap) reports the new standardRevision in
 * every product's status and rewrites exactly the baseline objects the change concerns.
 */
class StandardChangeIT {
    private static final String NAMESPACE = "gw-std-system";
    private static final List<String> PRODUCTS = List.of("std-web", "std-vault");
    private static final String CHANGE = """
            standard:
              tiers:
                standard:
                  podSecurity:
                    enforce: restricted
                  storage:
                    defaultTotal: 150Gi
            """;

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ChartOperator operator;

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        release = ChartRelease.install("gw-std", NAMESPACE, """
                # Cluster-wide; StoragePolicyIT proves it.
                storagePolicy:
                  enabled: false
                # Cluster-wide as well; NamespaceIdentityPolicyIT proves it.
                namespaceIdentityPolicy:
                  enabled: false
                """);
        operator = startPod("1");
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: std-web
                spec:
                  team: web
                  tier: standard
                  environments:
                    - name: prod
                """);
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: std-vault
                spec:
                  team: vault
                  tier: critical
                  environments:
                    - name: prod
                """);
    }

    private static ChartOperator startPod(String suffix) {
        return ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-84c5f-" + suffix,
                ServiceAccountAccess.of(admin, NAMESPACE, release.fullname())).awaitStarted(Duration.ofSeconds(90));
    }

    @AfterAll
    static void uninstall() {
        try {
            Products.deleteAndAwaitGone(admin, PRODUCTS);
        } finally {
            if (operator != null) {
                operator.close();
            }
            release.close();
            admin.close();
        }
    }

    @Test
    void aChangedStandardReachesEveryProductAndExactlyTheObjectsItConcerns() throws IOException {
        String before = StandardLoader.defaults().revision();
        for (String product : PRODUCTS) {
            TestOperator.awaitStatus(admin, product, p -> {
                assertThat(Products.isTrue(p, "Ready")).as("%s\n%s", p.getStatus(), operator.log()).isTrue();
                assertThat(p.getStatus().standardRevision()).isEqualTo(before);
            });
        }
        assertThat(admin.namespaces().withName("std-web-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(hardStorage("std-web-prod")).isEqualTo(new Quantity("100Gi"));
        String checksumBefore = checksum();
        Map<String, String> versionsBefore = resourceVersions();

        Helm.ok(release.upgrade(CHANGE));

        // The upgrade rewrote the standard the pods mount, and the checksum that makes Kubernetes roll them.
        String standardYaml = admin.configMaps().inNamespace(NAMESPACE).withName(release.fullname() + "-standard").get()
                .getData().get("standard.yaml");
        assertThat(standardYaml).contains("enforce: restricted").contains("defaultTotal: 150Gi");
        assertThat(checksum()).isNotEqualTo(checksumBefore);
        Path file = Files.createTempFile("standard-", ".yaml");
        Files.writeString(file, standardYaml);
        String after = StandardLoader.load(Optional.of(file)).revision();
        Files.delete(file);
        assertThat(after).isNotEqualTo(before);

        // The rollout: the old pod stops, a new one starts from the upgraded Deployment and ConfigMap.
        operator.close();
        operator = startPod("2");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<ProductPlatform> all = admin.resources(ProductPlatform.class).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            assertThat(all).extracting(p -> p.getMetadata().getName()).containsAll(PRODUCTS);
            assertThat(all).as("every product's standardRevision").allSatisfy(p ->
                    assertThat(p.getStatus().standardRevision()).as(p.getMetadata().getName()).isEqualTo(after));
        });
        ProductPlatform web = TestOperator.awaitStatus(admin, "std-web", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        assertThat(Products.condition(web, "Ready").orElseThrow().getMessage()).contains(after);
        // Brought up to date, not drift: nobody but the operator changed anything.
        assertThat(web.getStatus().drift() == null || Long.valueOf(0).equals(web.getStatus().drift().detectedTotal())).isTrue();

        assertThat(admin.namespaces().withName("std-web-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(hardStorage("std-web-prod")).isEqualTo(new Quantity("150Gi"));

        Map<String, String> versionsAfter = resourceVersions();
        Map<String, String> changed = new TreeMap<>();
        versionsAfter.forEach((k, v) -> {
            if (!v.equals(versionsBefore.get(k))) {
                changed.put(k, v);
            }
        });
        assertThat(versionsAfter.keySet()).isEqualTo(versionsBefore.keySet());
        assertThat(changed.keySet()).containsExactlyInAnyOrder(
                "Namespace std-web-prod", "ResourceQuota std-web-prod/groundwork-storage");
    }

    private String checksum() {
        return admin.apps().deployments().inNamespace(NAMESPACE).withName(release.fullname()).get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/standard");
    }

    private static Quantity hardStorage(String namespace) {
        return admin.resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get().getSpec().getHard()
                .get("requests.storage");
    }

    /** "Kind namespace/name" -> resourceVersion of every baseline object of both products. */
    private static Map<String, String> resourceVersions() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String product : PRODUCTS) {
            String namespace = product + "-prod";
            objects.add(admin.namespaces().withName(namespace).get());
            objects.addAll(admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
            objects.addAll(admin.resourceQuotas().inNamespace(namespace).list().getItems());
            objects.addAll(admin.limitRanges().inNamespace(namespace).list().getItems());
        }
        Map<String, String> versions = new TreeMap<>();
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            versions.put(o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
        }
        assertThat(versions).hasSizeGreaterThan(10);
        return versions;
    }
}
