package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FieldComparatorTest {

    @Test
    void limitRangeReadBackFromTheServerIsInSync() {
        LimitRange desired = new LimitRangeBuilder()
                .withNewMetadata().withName("groundwork-storage").withNamespace("a").endMetadata()
                .withNewSpec().withLimits(new LimitRangeItemBuilder().withType("PersistentVolumeClaim")
                        .withMax(Map.of("storage", new Quantity("100Gi"))).build()).endSpec()
                .build();
        HasMetadata live = Serialization.unmarshal("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: groundwork-storage, namespace: a, resourceVersion: "215"}
                spec:
                  limits:
                  - max:
                      storage: "100Gi"
                    type: "PersistentVolumeClaim"
                """, LimitRange.class);
        assertThat(FieldComparator.differences(desired, live)).isEmpty();
    }

    private static final String BINDING = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: groundwork-team, namespace: a, resourceVersion: "9", labels: {app.kubernetes.io/managed-by: groundwork}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "oidc:team"}
            """;

    private static HasMetadata binding(String yaml) {
        return Serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.rbac.RoleBinding.class);
    }

    @Test
    void roleBindingReadBackFromTheServerIsInSync() {
        assertThat(FieldComparator.differences(binding(BINDING), binding(BINDING))).isEmpty();
    }

    @Test
    void anAddedSubjectIsDriftOfTheSubjects() {
        HasMetadata live = binding(BINDING + "- {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory}\n");
        assertThat(FieldComparator.differences(binding(BINDING), live)).containsExactly("subjects");
    }

    @Test
    void anotherRoleIsDriftOfTheRoleName() {
        HasMetadata live = binding(BINDING.replace("name: view", "name: edit"));
        assertThat(FieldComparator.differences(binding(BINDING), live)).containsExactly("roleRef.name");
    }
}
