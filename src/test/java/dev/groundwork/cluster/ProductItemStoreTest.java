package dev.groundwork.cluster;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductItemStoreTest {
    @Test
    void dropsManagedFieldsAndKeepsEverythingElse() {
        String yaml = """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: shop
                  resourceVersion: "7"
                  labels: {groundwork.dev/canary: "true"}
                  annotations: {groundwork.dev/allow-data-loss: "true"}
                  finalizers: [productplatforms.groundwork.dev/finalizer]
                  managedFields:
                    - {manager: kubectl, operation: Apply, apiVersion: groundwork.dev/v1alpha1, fieldsType: FieldsV1, fieldsV1: {"f:spec": {}}}
                spec: {team: t, tier: critical, environments: [{name: prod}]}
                status:
                  standardRevision: abc
                  conditions: [{type: Ready, status: "True", reason: Reconciled, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}]
                """;
        ProductItemStore store = new ProductItemStore();
        ProductPlatform product = Serialization.unmarshal(yaml, ProductPlatform.class);
        store.put(store.getKey(product), product);

        ProductPlatform cached = store.get("shop");
        ProductPlatform expected = Serialization.unmarshal(yaml, ProductPlatform.class);
        expected.getMetadata().setManagedFields(null);
        assertThat(Serialization.asJson(cached)).isEqualTo(Serialization.asJson(expected));
        assertThat(cached.allowsDataLoss()).isTrue();
    }
}
