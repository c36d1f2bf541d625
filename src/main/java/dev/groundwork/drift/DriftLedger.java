package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the drift history of each product. A repair is always a new detection; drift that stays outstanding
 * (Audit mode, a failing repair) is counted once, when first seen, not on every reconcile, so a product whose
 * drift is unchanged causes no status write.
 */
public final class DriftLedger {
    public static final int RECENT = 10;

    private final Map<String, Set<String>> outstanding = new ConcurrentHashMap<>();

    /** @return the findings that are new detections, in the order found */
    public List<Finding> detect(String product, List<Finding> findings, DriftStatus previous) {
        Set<String> before = outstanding.getOrDefault(product, Set.of());
        Set<String> known = new HashSet<>(before);
        if (before.isEmpty() && previous != null && previous.recent() != null) {
            // After a restart: drift already in the status was seen by the previous leader.
            previous.recent().stream().filter(r -> r.action() != DriftAction.Repaired).map(DriftLedger::signature)
                    .forEach(known::add);
        }
        Set<String> now = new HashSet<>();
        List<Finding> fresh = new ArrayList<>();
        for (Finding finding : findings) {
            String signature = signature(finding);
            if (finding.action() == DriftAction.Repaired) {
                fresh.add(finding);
            } else {
                now.add(signature);
                if (!known.contains(signature)) {
                    fresh.add(finding);
                }
            }
        }
        if (now.isEmpty()) {
            outstanding.remove(product);
        } else {
            outstanding.put(product, now);
        }
        return fresh;
    }

    public DriftStatus record(DriftStatus previous, List<Finding> fresh) {
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

    public void forget(String product) {
        outstanding.remove(product);
    }

    private static String signature(Finding f) {
        return f.object() + "|" + f.change() + "|" + f.fields() + "|" + f.action();
    }

    private static String signature(DriftRecord r) {
        return r.object() + "|" + r.change() + "|" + (r.fields() == null ? List.of() : r.fields()) + "|" + r.action();
    }
}
