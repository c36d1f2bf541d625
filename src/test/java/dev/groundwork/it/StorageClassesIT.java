package dev.groundwork.it;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every StorageClass in the cluster that a product may not use is closed in its quota, as soon as it appears. */
class StorageClassesIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();



    private static Map<String, Quantity> quota(String namespace) {
        return running.admin().resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get().getSpec().getHard();
    }

    @Test
    void aNewStorageClassIsClosedInEveryQuotaAndAnAllowedOneOpen() {
        for (String name : new String[]{"sc-one", "sc-two"}) {
            Products.apply(running.admin(), """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: %s
                    spec:
                      team: storage
                      environments:
                        - name: prod
                      storage:
                        classes: [standard-rwo]
                    """.formatted(name));
            TestOperator.awaitStatus(running.admin(), name, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        }
        running.admin().resource(new StorageClassBuilder().withNewMetadata().withName("gold-nvme").endMetadata()
                .withProvisioner("example.com/nvme").build()).serverSideApply();
        running.admin().resource(new StorageClassBuilder().withNewMetadata().withName("standard-rwo").endMetadata()
                .withProvisioner("example.com/disk").build()).serverSideApply();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (String namespace : new String[]{"sc-one-prod", "sc-two-prod"}) {
                assertThat(quota(namespace))
                        .containsEntry("gold-nvme.storageclass.storage.k8s.io/requests.storage", new Quantity("0"))
                        .containsEntry("gold-nvme.storageclass.storage.k8s.io/persistentvolumeclaims", new Quantity("0"))
                        .containsEntry("standard-rwo.storageclass.storage.k8s.io/requests.storage", new Quantity("100Gi"));
            }
        });
        // A change of the cluster, not of the product: the quota is brought up to date, no drift is recorded.
        assertThat(running.admin().resources(dev.groundwork.api.v1alpha1.ProductPlatform.class).withName("sc-one").get()
                .getStatus().drift()).isNull();
        running.admin().storage().v1().storageClasses().withName("gold-nvme").delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(quota("sc-one-prod")).doesNotContainKey("gold-nvme.storageclass.storage.k8s.io/requests.storage"));
    }
}
