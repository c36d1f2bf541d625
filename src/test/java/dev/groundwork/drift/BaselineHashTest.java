package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BaselineHashTest {

    private static NetworkPolicy policy(Map<String, String> labels) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName("groundwork-default-deny").withNamespace("shop-prod").withLabels(labels)
                .withAnnotations(Map.of("groundwork.dev/area", "networking")).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress", "Egress")
                .addNewEgress().addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort().endEgress()
                .endSpec().build();
    }

    private static Map<String, String> labels(String... keyValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    @Test
    void theHashOfAGivenContentNeverChangesBetweenVersions() {
        // Live objects carry this value: a different one would make every object of every fleet an update owed.
        assertThat(hashOf(policy(labels("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", "shop"))))
                .isEqualTo(PINNED);
    }

    @Test
    void mapOrderDoesNotChangeTheHash() {
        assertThat(hashOf(policy(labels("groundwork.dev/product", "shop", "app.kubernetes.io/managed-by", "groundwork"))))
                .isEqualTo(PINNED);
    }

    @Test
    void anyChangeOfContentChangesTheHash() {
        NetworkPolicy other = policy(labels("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", "shop"));
        other.getSpec().getEgress().get(0).getPorts().get(0).setPort(new IntOrString(54));
        assertThat(hashOf(other)).isNotEqualTo(PINNED).hasSize(16);
    }

    @Test
    void stampReturnsACopyWithTheHashAndLeavesTheDesiredObjectAsItWas() {
        NetworkPolicy desired = policy(labels("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", "shop"));
        NetworkPolicy before = Serialization.clone(desired);

        NetworkPolicy stamped = BaselineHash.stamp(desired);

        assertThat(desired).isEqualTo(before);
        assertThat(stamped).isNotSameAs(desired);
        assertThat(stamped.getMetadata().getAnnotations())
                .containsExactly(Map.entry("groundwork.dev/area", "networking"), Map.entry(BaselineHash.ANNOTATION, PINNED));
        stamped.getMetadata().getAnnotations().remove(BaselineHash.ANNOTATION);
        assertThat(stamped).isEqualTo(before);
    }

    @Test
    void stampAddsAnnotationsToAnObjectThatHadNoneAndKeepsQuantities() {
        ResourceQuota quota = new ResourceQuotaBuilder().withNewMetadata().withName("groundwork-storage").withNamespace("shop-prod")
                .endMetadata().withNewSpec().addToHard("requests.storage", new Quantity("500Gi")).endSpec().build();

        ResourceQuota stamped = BaselineHash.stamp(quota);

        assertThat(quota.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(stamped.getMetadata().getAnnotations()).containsOnlyKeys(BaselineHash.ANNOTATION);
        assertThat(stamped.getSpec().getHard()).containsExactly(Map.entry("requests.storage", new Quantity("500Gi")));
        assertThat(BaselineHash.writtenFor(stamped, stamped)).isTrue();
        assertThat(BaselineHash.writtenFor(stamped, quota)).isFalse();
    }

    @Test
    void stampKeepsTheContentOfAGenericResource() {
        GenericKubernetesResource flow = Serialization.unmarshal("""
                {"apiVersion":"logging.banzaicloud.io/v1beta1","kind":"Flow",
                 "metadata":{"name":"groundwork-logs","namespace":"shop-prod"},
                 "spec":{"match":[{"select":{}}],"localOutputRefs":["shop"]}}""", GenericKubernetesResource.class);

        HasMetadata stamped = BaselineHash.stamp(flow);

        assertThat(stamped).isInstanceOf(GenericKubernetesResource.class);
        assertThat(((GenericKubernetesResource) stamped).getAdditionalProperties()).isEqualTo(flow.getAdditionalProperties());
        assertThat(stamped.getMetadata().getAnnotations()).containsOnlyKeys(BaselineHash.ANNOTATION);
    }

    private static String hashOf(HasMetadata desired) {
        return BaselineHash.stamp(desired).getMetadata().getAnnotations().get(BaselineHash.ANNOTATION);
    }

    private static final String PINNED = "082bba6880b453e1";
}
