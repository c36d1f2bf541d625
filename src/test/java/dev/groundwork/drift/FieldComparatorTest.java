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
}
