package dev.groundwork.cluster;

import dev.groundwork.drift.ChangedBy;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrunedItemStoreTest {
    private final PrunedItemStore<NetworkPolicy> store = new PrunedItemStore<>();

    @Test
    void dropsOurApplyEntryAndKeepsEveryOtherManager() {
        NetworkPolicy policy = policy(entry("groundwork", "Apply"), entry("kubectl-edit", "Update"), entry("groundwork", "Update"));
        store.put(store.getKey(policy), policy);

        NetworkPolicy cached = store.get("shop-prod/groundwork-default-deny");
        assertThat(cached.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kubectl-edit", "Update"),
                        org.assertj.core.groups.Tuple.tuple("groundwork", "Update"));
        // What drift attribution reads is still there: the manager that took the field over.
        assertThat(ChangedBy.of(cached, List.of("spec.policyTypes"), "groundwork")).contains("kubectl-edit");
    }

    @Test
    void anObjectOnlyWeManageKeepsNoManagedFields() {
        NetworkPolicy policy = policy(entry("groundwork", "Apply"));
        store.put(store.getKey(policy), policy);

        assertThat(store.get("shop-prod/groundwork-default-deny").getMetadata().getManagedFields()).isNull();
        assertThat(store.size()).isEqualTo(1);
    }

    private static NetworkPolicy policy(ManagedFieldsEntry... entries) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace("shop-prod").withName("groundwork-default-deny")
                .withManagedFields(entries).endMetadata().build();
    }

    private static ManagedFieldsEntry entry(String manager, String operation) {
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:spec", Map.of("f:policyTypes", Map.of()));
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withApiVersion("networking.k8s.io/v1")
                .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }
}
