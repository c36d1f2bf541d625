package dev.groundwork.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImmutableFieldsTest {

    private static RoleBinding binding(String role, String group) {
        return new RoleBindingBuilder()
                .withNewMetadata().withName("groundwork-team").withNamespace("a").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group).endSubject()
                .build();
    }

    @Test
    void anotherRoleCannotBeUpdated() {
        assertThat(ImmutableFields.changed(binding("edit", "g"), binding("view", "g"))).isTrue();
    }

    @Test
    void otherSubjectsCanBeUpdated() {
        assertThat(ImmutableFields.changed(binding("view", "g"), binding("view", "h"))).isFalse();
    }

    @Test
    void theRoleAsTheServerReturnsItIsTheSame() {
        RoleBinding live = Serialization.unmarshal("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: groundwork-team, namespace: a, resourceVersion: "7", uid: x}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: g}]
                """, RoleBinding.class);
        assertThat(ImmutableFields.changed(binding("view", "g"), live)).isFalse();
    }

    @Test
    void otherKindsHaveNoImmutableFieldWeWrite() {
        var a = new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().addToData("k", "1").build();
        var b = new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().addToData("k", "2").build();
        assertThat(ImmutableFields.changed(a, b)).isFalse();
    }
}
