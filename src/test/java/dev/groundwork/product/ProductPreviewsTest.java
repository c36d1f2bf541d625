package dev.groundwork.product;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The preview looks only into namespaces groundwork manages for the product it previews. */
class ProductPreviewsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final FakeCluster cluster = new FakeCluster();
    // No client: a namespace that is not the product's must be answered before anything is asked of the API server.
    private final ProductPreviews previews = new ProductPreviews(null, cluster, Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));

    ProductPreviewsTest() {
        cluster.put(new NamespaceBuilder().withNewMetadata().withName("victim-prod")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", "victim",
                        "pod-security.kubernetes.io/enforce", "baseline"))
                .endMetadata().build());
        cluster.put(new ResourceQuotaBuilder().withNewMetadata().withName("groundwork-storage").withNamespace("victim-prod")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", "victim"))
                .endMetadata().withNewStatus().addToUsed("requests.storage", new Quantity("80Gi"))
                .addToUsed("persistentvolumeclaims", new Quantity("3")).endStatus().build());
    }

    @Test
    void aSpecNamingAnotherProductsNamespaceLearnsNothingOfItsPodsClaimsOrUsage() {
        ProductPreviews.Evidence evil = previews.new Evidence("evil", NOW);

        assertThat(evil.namespaceLabels("victim-prod")).isEmpty();
        assertThat(evil.quotaUsage("victim-prod").usedStorage()).isEmpty();
        assertThat(evil.claims("victim-prod")).isEmpty();
        assertThat(evil.podSecurityDryRun("victim-prod", Map.of("pod-security.kubernetes.io/enforce", "restricted"))).isEmpty();
    }

    @Test
    void theProductsOwnNamespaceIsReadFromTheCache() {
        ProductPreviews.Evidence victim = previews.new Evidence("victim", NOW);

        assertThat(victim.namespaceLabels("victim-prod")).hasValueSatisfying(labels ->
                assertThat(labels).containsEntry("pod-security.kubernetes.io/enforce", "baseline"));
        assertThat(victim.quotaUsage("victim-prod").usedStorage()).contains("80Gi");
    }
}
