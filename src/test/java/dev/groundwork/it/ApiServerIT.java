package dev.groundwork.it;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The test API server is the pinned real one: its version, and server-side apply with managedFields. */
class ApiServerIT {
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = ApiServer.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void reportsThePinnedVersion() {
        VersionInfo version = client.getKubernetesVersion();
        assertThat(version.getGitVersion()).isEqualTo("v" + ApiServer.VERSION);
        assertThat(version.getMajor()).isEqualTo(ApiServer.VERSION.split("\\.")[0]);
        assertThat(version.getMinor()).isEqualTo(ApiServer.VERSION.split("\\.")[1]);
    }

    @Test
    void serverSideApplyTwiceRecordsTheGroundworkManagerAsApply() {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("apiserver-it").endMetadata().build())
                .serverSideApply();
        ConfigMap desired = new ConfigMapBuilder()
                .withNewMetadata().withName("ssa-probe").withNamespace("apiserver-it").endMetadata()
                .addToData("standard", "v1")
                .build();
        client.resource(desired).fieldManager("groundwork").forceConflicts().serverSideApply();
        ConfigMap second = client.resource(desired).fieldManager("groundwork").forceConflicts().serverSideApply();

        List<ManagedFieldsEntry> managers = second.getMetadata().getManagedFields();
        assertThat(managers).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("groundwork", "Apply"));
        assertThat(managers.get(0).getFieldsV1().getAdditionalProperties()).containsKey("f:data");
        assertThat(second.getData()).containsEntry("standard", "v1");
    }
}
