package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the operator remembers of a product is forgotten when the product or one of its environments is released,
 * so bringing either back is a creation, not drift: no record, no DriftDetected event.
 */
class ForgettingIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();

    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: %s
            spec:
              team: forget
              tier: critical
              environments: [%s]
              networking:
                allowEgressCIDRs: [{cidr: 203.0.113.0/24, ports: [443]}]
            """;

    private static ProductPlatform applyAndAwaitReady(KubernetesClient admin, String name, String environments) {
        ProductPlatform applied = Products.apply(admin, PRODUCT.formatted(name, environments));
        long generation = applied.getMetadata().getGeneration();
        return TestOperator.awaitStatus(admin, name, p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(generation);
            assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue();
        });
    }

    private static long detected(ProductPlatform product) {
        return product.getStatus().drift() == null || product.getStatus().drift().detectedTotal() == null
                ? 0 : product.getStatus().drift().detectedTotal();
    }

    @Test
    void anEnvironmentRemovedAndAddedAgainIsNoDrift() throws InterruptedException {
        KubernetesClient admin = running.admin();
        applyAndAwaitReady(admin, "fgt-env", "{name: prod}, {name: staging}");
        ProductPlatform removed = applyAndAwaitReady(admin, "fgt-env", "{name: prod}");
        assertThat(removed.getStatus().namespaces()).extracting(n -> n.name() + "=" + n.state())
                .contains("fgt-env-staging=" + NamespaceState.Retained);

        applyAndAwaitReady(admin, "fgt-env", "{name: prod}, {name: staging}");
        // Time for the reconciles the re-creation causes, in case a false record were on its way.
        Thread.sleep(Duration.ofSeconds(2).toMillis());
        ProductPlatform settled = admin.resources(ProductPlatform.class).withName("fgt-env").get();

        assertThat(detected(settled)).isZero();
        assertThat(settled.getStatus().drift() == null ? List.of() : settled.getStatus().drift().recent()).isEmpty();
        assertThat(DriftIT.events(admin, "fgt-env", "DriftDetected")).isEmpty();
        assertThat(admin.network().v1().networkPolicies().inNamespace("fgt-env-staging").withName("groundwork-default-deny")
                .get().getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "groundwork");
    }

    @Test
    void aProductDeletedAndCreatedAgainIsNoDrift() throws InterruptedException {
        KubernetesClient admin = running.admin();
        applyAndAwaitReady(admin, "fgt-product", "{name: prod}, {name: staging}");
        Products.deleteAndAwaitGone(admin, List.of("fgt-product"));
        assertThat(admin.namespaces().withName("fgt-product-prod").get().getMetadata().getAnnotations())
                .containsKey("groundwork.dev/retained");

        applyAndAwaitReady(admin, "fgt-product", "{name: prod}, {name: staging}");
        Thread.sleep(Duration.ofSeconds(2).toMillis());
        ProductPlatform settled = admin.resources(ProductPlatform.class).withName("fgt-product").get();

        assertThat(detected(settled)).isZero();
        assertThat(DriftIT.events(admin, "fgt-product", "DriftDetected")).isEmpty();
        assertThat(admin.resourceQuotas().inNamespace("fgt-product-prod").withName("groundwork-storage").get()
                .getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "groundwork");
    }
}
