package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProductMemoryTest {
    private static final ObjectKey PROD_NS = new ObjectKey("Namespace", null, "shop-prod");
    private static final ObjectKey PROD_QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey DEV_NS = new ObjectKey("Namespace", null, "shop-dev");
    private static final ObjectKey DEV_POLICY = new ObjectKey("NetworkPolicy", "shop-dev", "groundwork-default-deny");
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final ProductMemory memory = new ProductMemory();
    private final RepairBackoff backoff = RepairBackoff.repairs();

    private void remember(ObjectKey key) {
        memory.sawInPlace(key);
        backoff.repaired(memory, key, NOW);
        DriftLedger.apply(memory, List.of(new Finding(Area.storage, key, DriftChange.Modified, List.of("spec.hard"),
                "kubectl-edit", DriftAction.Reported, null)), java.util.Set.of(), java.util.Set.of(key), null, NOW);
    }

    @Test
    void forgettingANamespaceForgetsItAndEverythingInItOnly() {
        for (ObjectKey key : List.of(PROD_NS, PROD_QUOTA, DEV_NS, DEV_POLICY)) {
            memory.sawInPlace(key);
            backoff.repaired(memory, key, NOW);
        }

        memory.forgetNamespace("shop-dev");

        assertThat(memory.wasSeen(DEV_NS)).isFalse();
        assertThat(memory.wasSeen(DEV_POLICY)).isFalse();
        assertThat(backoff.blockedUntil(memory, DEV_POLICY, NOW)).isEmpty();
        assertThat(memory.wasSeen(PROD_NS)).isTrue();
        assertThat(memory.wasSeen(PROD_QUOTA)).isTrue();
        assertThat(backoff.blockedUntil(memory, PROD_QUOTA, NOW)).isPresent();
    }

    @Test
    void outstandingDriftOfAForgottenNamespaceIsWithdrawnOnceSoItIsCountedAfreshWhenItComesBack() {
        remember(DEV_POLICY);
        assertThat(memory.outstanding()).hasSize(1);

        memory.forgetNamespace("shop-dev");
        DriftLedger.Outcome released = DriftLedger.apply(memory, List.of(), java.util.Set.of(), java.util.Set.of(), null, NOW);

        assertThat(released.resolved()).singleElement().extracting(DriftLedger.Resolved::how)
                .isEqualTo(dev.groundwork.api.v1alpha1.DriftResolution.Withdrawn);
        assertThat(memory.outstanding()).isEmpty();
    }

    @Test
    void aNamespaceWhoseNameIsAPrefixOfAnotherIsNotConfusedWithIt() {
        ObjectKey longer = new ObjectKey("NetworkPolicy", "shop-dev-2", "groundwork-default-deny");
        memory.sawInPlace(longer);
        memory.sawInPlace(DEV_POLICY);

        memory.forgetNamespace("shop-dev");

        assertThat(memory.wasSeen(longer)).isTrue();
    }

    @Test
    void forgettingAnObjectForgetsExactlyIt() {
        remember(PROD_QUOTA);
        remember(DEV_POLICY);

        memory.forget(PROD_QUOTA);

        assertThat(memory.wasSeen(PROD_QUOTA)).isFalse();
        assertThat(backoff.blockedUntil(memory, PROD_QUOTA, NOW)).isEmpty();
        assertThat(memory.outstanding()).as("its drift ends in the ledger, as withdrawn")
                .extracting(DriftLedger.Open::object).contains(DEV_POLICY);
    }

    @Test
    void readinessIsUnknownUntilSet() {
        assertThat(memory.ready()).isEmpty();
        memory.ready(true);
        assertThat(memory.ready()).contains(true);
    }

    @Test
    void theFleetForgetsADeletedProductWhole() {
        FleetMemory fleet = new FleetMemory();
        fleet.of("shop").sawInPlace(PROD_NS);
        fleet.of("shop").ready(true);
        fleet.of("pay").ready(false);

        assertThat(fleet.of("shop")).isSameAs(fleet.of("shop"));
        assertThat(fleet.countReady(true)).isEqualTo(1);
        assertThat(fleet.countReady(false)).isEqualTo(1);

        fleet.forget("shop");

        assertThat(fleet.of("shop").wasSeen(PROD_NS)).as("a re-created product starts afresh").isFalse();
        assertThat(fleet.countReady(true)).isZero();
    }
}
