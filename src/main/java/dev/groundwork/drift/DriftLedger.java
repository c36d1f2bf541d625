package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.baseline.ObjectKey;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the drift history of each product. A repair is always a new detection; drift that stays outstanding
 * (Audit mode, a failing repair) is counted once, when first seen, not on every reconcile, so a product whose
 * drift is unchanged causes no status write.
 */
public final class DriftLedger {
    public static final int RECENT = 10;

    /** What makes two findings the same drift. */
    record Signature(ObjectKey object, DriftChange change, List<String> fields, DriftAction action) {
        static Signature of(Finding f) {
            return new Signature(f.object(), f.change(), List.copyOf(f.fields()), f.action());
        }
    }

    private DriftLedger() {
    }

    /**
     * @param memory   the product's memory; its outstanding drift is replaced by what is outstanding now
     * @param previous the drift in status, which tells a restarted operator what was already counted
     * @return the findings that are new detections, in the order found
     */
    public static List<Finding> detect(ProductMemory memory, List<Finding> findings, DriftStatus previous) {
        Set<Signature> known = new HashSet<>(memory.outstanding());
        if (known.isEmpty() && previous != null && previous.recent() != null) {
            // After a restart: drift already in the status was seen by the previous leader.
            previous.recent().stream().filter(r -> r.action() != DriftAction.Repaired)
                    .map(r -> new Signature(ObjectKey.parse(r.object()), r.change(),
                            r.fields() == null ? List.of() : r.fields(), r.action()))
                    .forEach(known::add);
        }
        Set<Signature> now = new HashSet<>();
        List<Finding> fresh = new ArrayList<>();
        for (Finding finding : findings) {
            Signature signature = Signature.of(finding);
            if (finding.action() == DriftAction.Repaired) {
                fresh.add(finding);
            } else {
                now.add(signature);
                if (!known.contains(signature)) {
                    fresh.add(finding);
                }
            }
        }
        memory.outstanding().retainAll(now);
        memory.outstanding().addAll(now);
        return fresh;
    }

    public static DriftStatus record(DriftStatus previous, List<Finding> fresh) {
        if (fresh.isEmpty()) {
            return previous;
        }
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long detected = previous == null || previous.detectedTotal() == null ? 0 : previous.detectedTotal();
        long repaired = previous == null || previous.repairedTotal() == null ? 0 : previous.repairedTotal();
        List<DriftRecord> recent = new ArrayList<>();
        for (int i = fresh.size() - 1; i >= 0; i--) {
            Finding f = fresh.get(i);
            recent.add(new DriftRecord(time, f.area().name(), f.object().toString(), f.change(),
                    f.fields().isEmpty() ? null : f.fields(), f.changedBy(), f.action()));
            if (f.action() == DriftAction.Repaired) {
                repaired++;
            }
        }
        detected += fresh.size();
        if (previous != null && previous.recent() != null) {
            recent.addAll(previous.recent());
        }
        return new DriftStatus(detected, repaired, time, List.copyOf(recent.subList(0, Math.min(RECENT, recent.size()))));
    }
}
