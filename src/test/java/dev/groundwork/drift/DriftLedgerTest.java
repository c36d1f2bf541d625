package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.OutstandingDrift;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DriftLedgerTest {
    private static final ObjectKey QUOTA = new ObjectKey("ResourceQuota", "shop-prod", "groundwork-storage");
    private static final ObjectKey DENY = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-default-deny");
    private static final Set<ObjectKey> DESIRED = Set.of(QUOTA, DENY);
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");

    private ProductMemory memory = new ProductMemory();

    private static Finding reported(ObjectKey key, Instant at, String... fields) {
        return new Finding(Area.storage, key, DriftChange.Modified, List.of(fields), "kubectl-edit", DriftAction.Reported,
                null, at, null);
    }

    private static Finding repaired(ObjectKey key, Instant seen, Instant repaired) {
        return new Finding(Area.networking, key, DriftChange.Missing, List.of(), null, DriftAction.Repaired, null, seen, repaired);
    }

    private DriftLedger.Outcome apply(DriftStatus previous, Instant now, Finding... findings) {
        return DriftLedger.apply(memory, List.of(findings), Set.of(), DESIRED, previous, now);
    }

    @Test
    void aRepairIsAnEpisodeFromFirstSeenToTheRepairsEnd() {
        DriftLedger.Outcome outcome = apply(null, T0.plusSeconds(1), repaired(DENY, T0, T0.plusMillis(81)));

        DriftRecord record = outcome.status().recent().get(0);
        assertThat(record.time()).isEqualTo("2026-11-25T10:00:00.123Z");
        assertThat(record.resolvedTime()).isEqualTo("2026-11-25T10:00:00.204Z");
        assertThat(record.resolution()).isEqualTo(DriftResolution.Repaired);
        assertThat(outcome.status().outstanding()).isNull();
        assertThat(outcome.status().detectedTotal()).isEqualTo(1);
        assertThat(outcome.status().repairedTotal()).isEqualTo(1);
        assertThat(outcome.resolved()).singleElement().satisfies(r -> assertThat(r.duration().toMillis()).isEqualTo(81));
    }

    @Test
    void reportedDriftIsOutstandingSinceFirstSeenAndCountedOnce() {
        DriftLedger.Outcome first = apply(null, T0, reported(QUOTA, T0, "spec.hard"));
        DriftLedger.Outcome second = apply(first.status(), T0.plusSeconds(30), reported(QUOTA, T0.plusSeconds(30), "spec.hard"));

        assertThat(first.detected()).hasSize(1);
        assertThat(first.status().outstanding()).singleElement().satisfies(o -> {
            assertThat(o.object()).isEqualTo("ResourceQuota shop-prod/groundwork-storage");
            assertThat(o.since()).isEqualTo("2026-11-25T10:00:00.123Z");
            assertThat(o.action()).isEqualTo(DriftAction.Reported);
        });
        assertThat(first.status().recent().get(0).resolvedTime()).isNull();
        assertThat(second.detected()).isEmpty();
        assertThat(second.status()).as("nothing changed, nothing to write").isSameAs(first.status());
    }

    @Test
    void outstandingDriftThatGoesWithoutAWriteWasFixedByOthersOnce() {
        DriftStatus reported = apply(null, T0, reported(QUOTA, T0, "spec.hard")).status();
        DriftLedger.Outcome fixed = apply(reported, T0.plusSeconds(60));
        DriftLedger.Outcome later = apply(fixed.status(), T0.plusSeconds(90));

        assertThat(fixed.resolved()).singleElement().satisfies(r -> {
            assertThat(r.how()).isEqualTo(DriftResolution.FixedByOthers);
            assertThat(r.duration().toSeconds()).isEqualTo(60);
        });
        DriftRecord record = fixed.status().recent().get(0);
        assertThat(record.resolution()).isEqualTo(DriftResolution.FixedByOthers);
        assertThat(record.action()).isEqualTo(DriftAction.Reported);
        assertThat(record.resolvedTime()).isEqualTo("2026-11-25T10:01:00.123Z");
        assertThat(fixed.status().outstanding()).isNull();
        assertThat(fixed.status().repairedTotal()).isZero();
        assertThat(later.resolved()).as("resolved exactly once").isEmpty();
        assertThat(later.status()).isSameAs(fixed.status());
    }

    @Test
    void outstandingDriftEndedByOurWriteIsRepairedNotANewDetection() {
        DriftStatus reported = apply(null, T0, reported(QUOTA, T0, "spec.hard")).status();
        DriftLedger.Outcome repaired = apply(reported, T0.plusSeconds(5),
                new Finding(Area.storage, QUOTA, DriftChange.Modified, List.of("spec.hard"), "kubectl-edit",
                        DriftAction.Repaired, null, T0.plusSeconds(5), T0.plusSeconds(5)));

        assertThat(repaired.detected()).isEmpty();
        assertThat(repaired.status().detectedTotal()).isEqualTo(1);
        assertThat(repaired.status().repairedTotal()).isEqualTo(1);
        assertThat(repaired.status().recent()).singleElement().satisfies(r -> {
            assertThat(r.resolution()).isEqualTo(DriftResolution.Repaired);
            assertThat(r.action()).as("it ended with our repair").isEqualTo(DriftAction.Repaired);
            assertThat(r.time()).isEqualTo("2026-11-25T10:00:00.123Z");
        });
    }

    @Test
    void aRetriedApplyThatSucceedsRepairsTheFailedDrift() {
        Finding failed = new Finding(Area.storage, QUOTA, DriftChange.Missing, List.of(), null, DriftAction.RepairFailed,
                "timeout", T0, null);
        DriftStatus failing = apply(null, T0, failed).status();

        DriftLedger.Outcome retried = DriftLedger.apply(memory, List.of(), Set.of(QUOTA), DESIRED, failing, T0.plusSeconds(2));

        assertThat(retried.resolved()).singleElement().extracting(DriftLedger.Resolved::how).isEqualTo(DriftResolution.Repaired);
    }

    @Test
    void driftOnAnObjectThatLeftTheBaselineIsWithdrawn() {
        DriftStatus reported = apply(null, T0, reported(QUOTA, T0, "spec.hard")).status();

        DriftLedger.Outcome gone = DriftLedger.apply(memory, List.of(), Set.of(), Set.of(DENY), reported, T0.plusSeconds(1));

        assertThat(gone.resolved()).singleElement().extracting(DriftLedger.Resolved::how).isEqualTo(DriftResolution.Withdrawn);
    }

    @Test
    void outstandingDriftThatChangesKeepsItsSinceAndItsRecord() {
        DriftStatus first = apply(null, T0, reported(QUOTA, T0, "spec.hard.requests.storage")).status();
        DriftLedger.Outcome wider = apply(first, T0.plusSeconds(3),
                reported(QUOTA, T0.plusSeconds(3), "spec.hard.requests.storage", "spec.hard.persistentvolumeclaims"));

        assertThat(wider.detected()).isEmpty();
        assertThat(wider.status().recent()).singleElement().satisfies(r -> {
            assertThat(r.fields()).containsExactly("spec.hard.requests.storage", "spec.hard.persistentvolumeclaims");
            assertThat(r.time()).isEqualTo("2026-11-25T10:00:00.123Z");
        });
        assertThat(wider.status().outstanding()).singleElement().extracting(OutstandingDrift::since)
                .isEqualTo("2026-11-25T10:00:00.123Z");
    }

    @Test
    void aRestartedOperatorCarriesOnFromStatusWithoutFalseRecords() {
        DriftStatus before = apply(null, T0, reported(QUOTA, T0, "spec.hard")).status();

        memory = new ProductMemory();
        DriftLedger.Outcome still = apply(before, T0.plusSeconds(600), reported(QUOTA, T0.plusSeconds(600), "spec.hard"));
        assertThat(still.detected()).isEmpty();
        assertThat(still.status()).isSameAs(before);

        memory = new ProductMemory();
        DriftLedger.Outcome fixed = apply(before, T0.plusSeconds(700));
        assertThat(fixed.resolved()).singleElement().satisfies(r -> {
            assertThat(r.how()).isEqualTo(DriftResolution.FixedByOthers);
            assertThat(r.drift().since()).isEqualTo(T0);
        });
        assertThat(fixed.status().recent()).singleElement().extracting(DriftRecord::resolvedTime).isNotNull();
    }

    @Test
    void aStatusWrittenBeforeOutstandingExistedIsReadFromItsRecords() {
        DriftStatus legacy = new DriftStatus(1L, 0L, "2026-11-25T10:00:00Z", null, List.of(new DriftRecord(
                "2026-11-25T10:00:00Z", null, null, "storage", "ResourceQuota shop-prod/groundwork-storage",
                DriftChange.Modified, List.of("spec.hard"), "kubectl-edit", DriftAction.Reported)));

        DriftLedger.Outcome outcome = apply(legacy, T0, reported(QUOTA, T0, "spec.hard"));

        assertThat(outcome.detected()).isEmpty();
        assertThat(outcome.status().outstanding()).singleElement().extracting(OutstandingDrift::since)
                .isEqualTo("2026-11-25T10:00:00.000Z");
    }

    @Test
    void keepsTheNewestTenNewestFirst() {
        DriftStatus status = null;
        for (int i = 0; i < 12; i++) {
            ObjectKey key = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-" + i);
            Instant at = T0.plusSeconds(i);
            status = DriftLedger.apply(memory, List.of(repaired(key, at, at)), Set.of(), Set.of(key), status, at).status();
        }

        assertThat(status.detectedTotal()).isEqualTo(12);
        assertThat(status.repairedTotal()).isEqualTo(12);
        assertThat(status.recent()).hasSize(DriftLedger.RECENT);
        assertThat(status.recent().get(0).object()).isEqualTo("NetworkPolicy shop-prod/groundwork-11");
        assertThat(status.recent().get(9).object()).isEqualTo("NetworkPolicy shop-prod/groundwork-2");
    }

    @Test
    void findingsOfOneReconcileAreRecordedInTheOrderFoundNewestFirst() {
        DriftStatus status = apply(null, T0, repaired(DENY, T0, T0), reported(QUOTA, T0, "spec.hard")).status();

        assertThat(status.recent()).extracting(DriftRecord::object)
                .containsExactly("ResourceQuota shop-prod/groundwork-storage", "NetworkPolicy shop-prod/groundwork-default-deny");
        assertThat(status.recent().get(1).fields()).as("a missing object has no fields").isNull();
        assertThat(status.lastDetectedTime()).isEqualTo("2026-11-25T10:00:00.123Z");
    }
}
