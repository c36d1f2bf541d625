package dev.groundwork.cluster;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheCompactorTest {
    private static final String POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: groundwork-allow-dns
              namespace: shop-prod
              uid: 0d6c5a36-1111-2222-3333-444455556666
              resourceVersion: "42"
              labels: {app.kubernetes.io/managed-by: groundwork, groundwork.dev/product: shop}
              annotations: {groundwork.dev/baseline-hash: abc}
              managedFields:
                - {manager: kubectl-edit, operation: Update, apiVersion: networking.k8s.io/v1, fieldsType: FieldsV1,
                   fieldsV1: {"f:spec": {"f:policyTypes": {}}}}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - to:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                      podSelector: {matchLabels: {k8s-app: kube-dns}}
                  ports:
                    - {protocol: UDP, port: 53}
                    - {protocol: TCP, port: 53}
            """;

    @Test
    void theCompactedObjectIsEqualAndSerializesTheSame() {
        NetworkPolicy original = Serialization.unmarshal(POLICY, NetworkPolicy.class);
        NetworkPolicy compacted = CacheCompactor.compact(Serialization.unmarshal(POLICY, NetworkPolicy.class));

        assertThat(compacted).isEqualTo(original);
        assertThat(Serialization.asJson(compacted)).isEqualTo(Serialization.asJson(original));
        assertThat(compacted.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties())
                .isEqualTo(original.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties());
    }

    @Test
    void repeatedStringsAreSharedAndEmptyMapsAreOne() {
        NetworkPolicy a = CacheCompactor.compact(Serialization.unmarshal(POLICY, NetworkPolicy.class));
        NetworkPolicy b = CacheCompactor.compact(Serialization.unmarshal(POLICY, NetworkPolicy.class));

        assertThat(a.getMetadata().getNamespace()).isSameAs(b.getMetadata().getNamespace());
        assertThat(a.getMetadata().getLabels().get("groundwork.dev/product")).isSameAs(b.getMetadata().getLabels().get("groundwork.dev/product"));
        assertThat(a.getSpec().getPolicyTypes().get(0)).isSameAs(b.getSpec().getPolicyTypes().get(0));
        assertThat(a.getSpec().getAdditionalProperties()).isSameAs(b.getSpec().getAdditionalProperties()).isEmpty();
        assertThat(a.getSpec().getEgress().get(0).getPorts().get(0).getAdditionalProperties()).isSameAs(b.getSpec().getAdditionalProperties());
        // unique per object: not interned
        assertThat(a.getMetadata().getUid()).isNotSameAs(b.getMetadata().getUid());
    }

    @Test
    void aCompactedObjectStillMakesAnEditableCopy() {
        NetworkPolicy cached = CacheCompactor.compact(Serialization.unmarshal(POLICY, NetworkPolicy.class));

        NetworkPolicy edited = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder(cached)
                .editSpec().addToAdditionalProperties("x", "y").endSpec().build();
        edited.getMetadata().getLabels().put("more", "yes");

        assertThat(edited.getSpec().getAdditionalProperties()).containsEntry("x", "y");
        assertThat(cached.getSpec().getAdditionalProperties()).isEmpty();
        assertThat(cached.getMetadata().getLabels()).doesNotContainKey("more");
    }
}
