package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.status.ProductHealth;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FleetSummaryStoreTest {
    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: shop
              uid: 0d6c5a36-1111-2222-3333-444455556666
              resourceVersion: "42"
              generation: 3
              labels: {groundwork.dev/canary: "true"}
              annotations: {note: "not kept"}
              managedFields:
                - {manager: kubectl, operation: Apply, apiVersion: groundwork.dev/v1alpha1, fieldsType: FieldsV1, fieldsV1: {"f:spec": {}}}
            spec:
              team: shop-team
              tier: critical
              environments:
                - name: prod
                - name: staging
                  namespace: shop-stg
              networking:
                allowEgressCIDRs:
                  - cidr: 203.0.113.0/24
            status:
              observedGeneration: 3
              standardRevision: abc1234
              managedResources: 22
              namespaces:
                - {name: shop-prod, environment: prod, state: Ready}
                - {name: shop-stg, environment: staging, state: Conflict, message: claimed by another product}
              conditions:
                - {type: Ready, status: "True", reason: Reconciled, message: All good, lastTransitionTime: "2026-01-01T00:00:00Z"}
                - {type: InSync, status: "False", reason: Drifted, message: 1 drift, lastTransitionTime: "2026-01-01T00:00:00Z"}
                - {type: NetworkingReady, status: "True", reason: Applied, message: fine, lastTransitionTime: "2026-01-01T00:00:00Z"}
              drift: {detectedTotal: 3}
            """;

    @Test
    void keepsWhatTheStandardsControllerReadsAndNothingElse() {
        FleetSummaryStore store = new FleetSummaryStore();
        ProductPlatform full = Serialization.unmarshal(PRODUCT, ProductPlatform.class);
        store.put(store.getKey(full), full);

        ProductPlatform kept = store.get("shop");
        assertThat(kept.getMetadata().getName()).isEqualTo("shop");
        assertThat(kept.getMetadata().getUid()).isEqualTo("0d6c5a36-1111-2222-3333-444455556666");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(kept.getMetadata().getLabels()).containsExactlyEntriesOf(java.util.Map.of("groundwork.dev/canary", "true"));
        assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getSpec().tier()).isEqualTo(full.getSpec().tier());
        assertThat(kept.getSpec().environmentsOrEmpty()).extracting(e -> e.name()).containsExactly("prod", "staging");
        assertThat(kept.getSpec().team()).isNull();
        assertThat(kept.getSpec().networking()).isNull();
        assertThat(kept.getStatus().standardRevision()).isEqualTo("abc1234");
        assertThat(kept.getStatus().namespaces()).extracting(n -> n.name(), n -> n.state())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop-prod", full.getStatus().namespaces().get(0).state()),
                        org.assertj.core.groups.Tuple.tuple("shop-stg", full.getStatus().namespaces().get(1).state()));
        assertThat(kept.getStatus().conditions()).extracting(c -> c.getType(), c -> c.getStatus(), c -> c.getMessage())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Ready", "True", "All good"),
                        org.assertj.core.groups.Tuple.tuple("InSync", "False", "1 drift"));
        assertThat(kept.getStatus().drift()).isNull();
        // What the standard's status and rollout read answers the same as on the full object.
        assertThat(ProductHealth.of(kept.getStatus()).ready()).isTrue();
        assertThat(ProductHealth.of(kept.getStatus()).inSync()).isFalse();
    }

    @Test
    void aProductWithoutStatusOrLabelsIsKept() {
        FleetSummaryStore store = new FleetSummaryStore();
        ProductPlatform product = Serialization.unmarshal("""
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata: {name: new, resourceVersion: "1"}
                spec: {team: t, environments: [{name: prod}]}
                """, ProductPlatform.class);
        store.put(store.getKey(product), product);

        ProductPlatform kept = store.get("new");
        assertThat(kept.getStatus()).isNull();
        assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(kept.getSpec().tier()).isNull();
    }
}
