package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangedByTest {
    /** A quota whose storage-class key (dots in the key) was taken over by kubectl-edit, the rest still ours. */
    private static final HasMetadata LIVE = Serialization.unmarshal("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: groundwork-storage
              namespace: shop-prod
              labels: {app.kubernetes.io/managed-by: groundwork, groundwork.dev/product: shop}
              managedFields:
              - manager: groundwork
                operation: Apply
                fieldsType: FieldsV1
                fieldsV1:
                  f:metadata: {f:labels: {f:app.kubernetes.io/managed-by: {}, f:groundwork.dev/product: {}}}
                  f:spec: {f:hard: {f:persistentvolumeclaims: {}}}
              - manager: kubectl-edit
                operation: Update
                fieldsType: FieldsV1
                fieldsV1:
                  f:spec: {f:hard: {f:standard-rwo.storageclass.storage.k8s.io/requests.storage: {}, f:requests.storage: {}}}
              - manager: groundwork
                operation: Update
                fieldsType: FieldsV1
                fieldsV1:
                  f:metadata: {f:annotations: {f:groundwork.dev/retained: {}}}
            spec:
              hard: {persistentvolumeclaims: "10"}
            """, ResourceQuota.class);

    @Test
    void aKeyWithDotsIsFoundWhole() {
        assertThat(ChangedBy.of(LIVE, List.of("spec.hard.standard-rwo.storageclass.storage.k8s.io/requests.storage"), "groundwork"))
                .contains("kubectl-edit");
        assertThat(ChangedBy.of(LIVE, List.of("spec.hard.requests.storage"), "groundwork")).contains("kubectl-edit");
    }

    @Test
    void ourOwnApplyIsNeverTheCulprit() {
        assertThat(ChangedBy.of(LIVE, List.of("spec.hard.persistentvolumeclaims"), "groundwork")).isEmpty();
        assertThat(ChangedBy.of(LIVE, List.of("metadata.labels.groundwork.dev/product"), "groundwork")).isEmpty();
    }

    @Test
    void anUpdateUnderOurNameIsStillAttributed() {
        // Only groundwork's Apply is ours; an Update under the same name is someone using our name by hand.
        assertThat(ChangedBy.of(LIVE, List.of("metadata.annotations.groundwork.dev/retained"), "groundwork")).contains("groundwork");
    }

    @Test
    void aRemovedFieldHasNoOwnerAndStaysUnknown() {
        assertThat(ChangedBy.of(LIVE, List.of("spec.hard.limits.cpu"), "groundwork")).isEmpty();
    }

    @Test
    void theFirstAttributableFieldNamesTheManager() {
        assertThat(ChangedBy.of(LIVE, List.of("spec.hard.limits.cpu", "spec.hard.requests.storage"), "groundwork"))
                .contains("kubectl-edit");
    }

    @Test
    void anObjectWithoutManagedFieldsIsUnattributed() {
        HasMetadata bare = Serialization.unmarshal("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: q, namespace: n}
                """, ResourceQuota.class);
        assertThat(ChangedBy.of(bare, List.of("spec.hard"), "groundwork")).isEmpty();
    }

    @Test
    void ownsWalksTheLongestKeyAtEachLevel() {
        Map<String, Object> fields = Map.of("f:metadata", Map.of("f:labels", Map.of("f:a.b/c", Map.of())));

        assertThat(ChangedBy.owns(fields, List.of("metadata", "labels", "a", "b/c"))).isTrue();
        assertThat(ChangedBy.owns(fields, List.of("metadata", "labels", "a"))).isFalse();
        assertThat(ChangedBy.owns(fields, List.of("metadata", "annotations"))).isFalse();
    }
}
