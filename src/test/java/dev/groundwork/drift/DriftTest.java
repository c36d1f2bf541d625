package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.baseline.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DriftTest {
    private static NetworkPolicy policy(String... types) {
        return new NetworkPolicyBuilder().withNewMetadata().withName("groundwork-default-deny").withNamespace("shop-prod")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "groundwork")).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes(types).endSpec().build();
    }

    @Test
    void aMissingObjectIsMissing() {
        Drift drift = Drift.of(BaselineHash.stamp(policy("Ingress")), null);

        assertThat(drift.change()).contains(DriftChange.Missing);
        assertThat(drift.inSync()).isFalse();
    }

    @Test
    void theSameContentAndStampIsInSync() {
        HasMetadata desired = BaselineHash.stamp(policy("Ingress", "Egress"));
        NetworkPolicy live = BaselineHash.stamp(policy("Egress", "Ingress"));
        live.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());

        Drift drift = Drift.of(desired, live);

        assertThat(drift.inSync()).as("policyTypes compare as a set").isTrue();
        assertThat(drift.restamp()).isFalse();
    }

    @Test
    void theSameContentWithAnOlderStampAsksForARestampNotAFinding() {
        HasMetadata desired = BaselineHash.stamp(policy("Ingress"));
        NetworkPolicy live = policy("Ingress");
        live.getMetadata().setAnnotations(Map.of(BaselineHash.ANNOTATION, "0000000000000000"));

        Drift drift = Drift.of(desired, live);

        assertThat(drift.inSync()).isTrue();
        assertThat(drift.restamp()).isTrue();
    }

    @Test
    void aChangedOwnedFieldIsModifiedAndNamed() {
        Drift drift = Drift.of(BaselineHash.stamp(policy("Ingress", "Egress")), BaselineHash.stamp(policy("Ingress")));

        assertThat(drift.change()).contains(DriftChange.Modified);
        assertThat(drift.fields()).containsExactly("spec.policyTypes");
    }

    @Test
    void objectKeysPrintAndParseBack() {
        for (ObjectKey key : new ObjectKey[]{new ObjectKey("Namespace", null, "shop-prod"),
                new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage")}) {
            assertThat(ObjectKey.parse(key.toString())).isEqualTo(key);
        }
    }
}
