package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DriftLedgerTest {
    private static final ObjectKey QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey DENY = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-default-deny");

    private final ProductMemory memory = new ProductMemory();

    private static Finding reported(ObjectKey key, String... fields) {
        return new Finding(Area.storage, key, DriftChange.Modified, List.of(fields), "kubectl-edit", DriftAction.Reported, null);
    }

    private static Finding repaired(ObjectKey key) {
        return new Finding(Area.networking, key, DriftChange.Missing, List.of(), null, DriftAction.Repaired, null);
    }

    @Test
    void reportedDriftIsCountedOnceWhileItStaysTheSame() {
        Finding finding = reported(QUOTA, "spec.hard.requests.storage");

        assertThat(DriftLedger.detect(memory, List.of(finding), null)).containsExactly(finding);
        assertThat(DriftLedger.detect(memory, List.of(finding), null)).isEmpty();
        assertThat(DriftLedger.detect(memory, List.of(finding), null)).isEmpty();
    }

    @Test
    void reportedDriftThatChangesIsANewDetection() {
        DriftLedger.detect(memory, List.of(reported(QUOTA, "spec.hard.requests.storage")), null);
        Finding wider = reported(QUOTA, "spec.hard.requests.storage", "spec.hard.persistentvolumeclaims");

        assertThat(DriftLedger.detect(memory, List.of(wider), null)).containsExactly(wider);
    }

    @Test
    void driftThatWentAndCameBackIsCountedAgain() {
        Finding finding = reported(QUOTA, "spec.hard.requests.storage");
        DriftLedger.detect(memory, List.of(finding), null);
        DriftLedger.detect(memory, List.of(), null);

        assertThat(DriftLedger.detect(memory, List.of(finding), null)).containsExactly(finding);
    }

    @Test
    void everyRepairIsANewDetection() {
        Finding finding = repaired(DENY);

        assertThat(DriftLedger.detect(memory, List.of(finding), null)).containsExactly(finding);
        assertThat(DriftLedger.detect(memory, List.of(finding), null)).containsExactly(finding);
        assertThat(memory.outstanding()).as("a repaired drift is not outstanding").isEmpty();
    }

    @Test
    void aRestartedOperatorDoesNotCountAgainWhatTheStatusAlreadyRecords() {
        DriftStatus previous = new DriftStatus(1L, 0L, "2026-11-25T10:00:00Z", List.of(new DriftRecord("2026-11-25T10:00:00Z",
                "storage", "ResourceQuota shop-prod/groundwork-storage", DriftChange.Modified,
                List.of("spec.hard.requests.storage"), "kubectl-edit", DriftAction.Reported)));

        assertThat(DriftLedger.detect(memory, List.of(reported(QUOTA, "spec.hard.requests.storage")), previous)).isEmpty();
    }

    @Test
    void recordCountsAndKeepsTheNewestTenNewestFirst() {
        DriftStatus status = null;
        for (int i = 0; i < 12; i++) {
            ObjectKey key = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-" + i);
            status = DriftLedger.record(status, List.of(i % 2 == 0 ? repaired(key) : reported(key, "spec")));
        }

        assertThat(status.detectedTotal()).isEqualTo(12);
        assertThat(status.repairedTotal()).isEqualTo(6);
        assertThat(status.recent()).hasSize(DriftLedger.RECENT);
        assertThat(status.recent().get(0).object()).isEqualTo("NetworkPolicy shop-prod/groundwork-11");
        assertThat(status.recent().get(9).object()).isEqualTo("NetworkPolicy shop-prod/groundwork-2");
    }

    @Test
    void recordingNothingKeepsTheStatusAsItWas() {
        DriftStatus previous = DriftLedger.record(null, List.of(repaired(DENY)));

        assertThat(DriftLedger.record(previous, new ArrayList<>())).isSameAs(previous);
    }

    @Test
    void findingsOfOneReconcileAreRecordedInTheOrderFoundNewestFirst() {
        DriftStatus status = DriftLedger.record(null, List.of(repaired(DENY), reported(QUOTA, "spec.hard")));

        assertThat(status.recent()).extracting(DriftRecord::object)
                .containsExactly("ResourceQuota shop-prod/groundwork-storage", "NetworkPolicy shop-prod/groundwork-default-deny");
        assertThat(status.recent().get(1).fields()).as("a missing object has no fields").isNull();
    }
}
