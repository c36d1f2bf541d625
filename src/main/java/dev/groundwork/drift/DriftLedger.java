package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.OutstandingDrift;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the drift history of each product. A drift is an episode: it starts when first seen and ends once, when
 * groundwork repairs it, someone else fixes it, or the object leaves the baseline. A drift repaired at once is an
 * episode that starts and ends in one reconcile; one that stays (Audit mode, a failing or backed-off repair) is
 * outstanding, listed in status with the time it was first seen, and ends in a later reconcile. Outstanding drift
 * is counted once, and its record and `since` do not change while it lasts, so an unchanged product causes no
 * status write. What is outstanding lives in status, so a restarted operator carries on without false records.
 */
public final class DriftLedger {
    public static final int RECENT = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** A drift not yet resolved. */
    public record Open(ObjectKey object, Area area, Instant since, DriftChange change, List<String> fields,
                       String changedBy, DriftAction action) {
        static Open of(Finding f) {
            return new Open(f.object(), f.area(), millis(f.seenAt()), f.change(), List.copyOf(f.fields()), f.changedBy(), f.action());
        }

        Open updatedBy(Finding f) {
            return new Open(object, area, since, f.change(), List.copyOf(f.fields()), f.changedBy(), f.action());
        }

        OutstandingDrift toStatus() {
            return new OutstandingDrift(object.toString(), format(since), action, area.name(), change,
                    fields.isEmpty() ? null : fields, changedBy);
        }
    }

    /** A drift that ended in this reconcile. */
    public record Resolved(Open drift, Instant at, DriftResolution how) {
        public Duration duration() {
            return Duration.between(drift.since(), at);
        }
    }

    /**
     * One reconcile's change to the history.
     *
     * @param detected findings that are new drifts (an Event and a count each)
     * @param resolved drifts that ended
     */
    public record Outcome(DriftStatus status, List<Finding> detected, List<Resolved> resolved) {
    }

    private DriftLedger() {
    }

    public static String format(Instant instant) {
        return TIME.format(instant);
    }

    private static Instant millis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }

    /**
     * @param findings drift found in this reconcile (a repair that waits is a finding with action BackedOff)
     * @param applied  objects groundwork wrote in this reconcile: an outstanding drift that ends with a write is repaired
     * @param desired  objects of the product's baseline now: an outstanding drift on any other has been withdrawn
     * @param previous the drift in status, which tells a restarted operator what is outstanding
     */
    public static Outcome apply(ProductMemory memory, List<Finding> findings, Set<ObjectKey> applied,
                                Set<ObjectKey> desired, DriftStatus previous, Instant now) {
        Map<ObjectKey, Open> open = memory.openDrift();
        if (!memory.historyLoaded()) {
            open.clear();
            loadFromStatus(previous).forEach(o -> open.put(o.object(), o));
            memory.historyLoaded(true);
        }
        List<DriftRecord> recent = new ArrayList<>(previous == null || previous.recent() == null ? List.of() : previous.recent());
        long detectedTotal = previous == null || previous.detectedTotal() == null ? 0 : previous.detectedTotal();
        long repairedTotal = previous == null || previous.repairedTotal() == null ? 0 : previous.repairedTotal();
        String lastDetected = previous == null ? null : previous.lastDetectedTime();
        List<DriftRecord> fresh = new ArrayList<>();
        List<Finding> detected = new ArrayList<>();
        List<Resolved> resolved = new ArrayList<>();
        Map<ObjectKey, Finding> found = new LinkedHashMap<>();
        findings.forEach(f -> found.putIfAbsent(f.object(), f));

        for (Finding finding : found.values()) {
            Open episode = open.get(finding.object());
            if (finding.action() == DriftAction.Repaired) {
                Instant at = millis(finding.repairedAt() == null ? now : finding.repairedAt());
                if (episode != null) {
                    open.remove(finding.object());
                    resolved.add(new Resolved(episode, at, DriftResolution.Repaired));
                    resolve(recent, episode, at, DriftResolution.Repaired);
                } else {
                    Open started = Open.of(finding);
                    detected.add(finding);
                    detectedTotal++;
                    lastDetected = max(lastDetected, format(started.since()));
                    resolved.add(new Resolved(started, at, DriftResolution.Repaired));
                    fresh.add(record(started).resolved(format(at), DriftResolution.Repaired));
                }
                repairedTotal++;
            } else if (episode == null) {
                Open started = Open.of(finding);
                open.put(finding.object(), started);
                detected.add(finding);
                detectedTotal++;
                lastDetected = max(lastDetected, format(started.since()));
                fresh.add(record(started));
            } else {
                Open updated = episode.updatedBy(finding);
                if (!updated.equals(episode)) {
                    // The same drift, still outstanding since the same time, now looks different (more fields, a
                    // failing repair): the record says what it is now.
                    open.put(finding.object(), updated);
                    replace(recent, episode, record(updated));
                }
            }
        }
        for (Open episode : List.copyOf(open.values())) {
            if (found.containsKey(episode.object())) {
                continue;
            }
            DriftResolution how = applied.contains(episode.object()) ? DriftResolution.Repaired
                    : desired.contains(episode.object()) ? DriftResolution.FixedByOthers : DriftResolution.Withdrawn;
            Instant at = millis(now);
            open.remove(episode.object());
            resolved.add(new Resolved(episode, at, how));
            resolve(recent, episode, at, how);
            if (how == DriftResolution.Repaired) {
                repairedTotal++;
            }
        }
        if (detected.isEmpty() && resolved.isEmpty() && fresh.isEmpty() && sameOutstanding(previous, open)
                && Objects.equals(previous == null ? List.of() : nullToEmpty(previous.recent()), recent)) {
            return new Outcome(previous, detected, resolved);
        }
        List<DriftRecord> all = new ArrayList<>();
        for (int i = fresh.size() - 1; i >= 0; i--) {
            all.add(fresh.get(i));
        }
        all.addAll(recent);
        List<OutstandingDrift> outstanding = outstanding(open);
        DriftStatus status = new DriftStatus(detectedTotal, repairedTotal, lastDetected,
                outstanding.isEmpty() ? null : outstanding, all.isEmpty() ? null : List.copyOf(all.subList(0, Math.min(RECENT, all.size()))));
        return new Outcome(status, detected, resolved);
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static boolean sameOutstanding(DriftStatus previous, Map<ObjectKey, Open> open) {
        List<OutstandingDrift> before = previous == null ? List.of() : nullToEmpty(previous.outstanding());
        return before.equals(outstanding(open));
    }

    static List<OutstandingDrift> outstanding(Map<ObjectKey, Open> open) {
        return open.values().stream()
                .sorted(Comparator.comparing(Open::since).thenComparing(o -> o.object().toString()))
                .map(Open::toStatus).toList();
    }

    private static String max(String a, String b) {
        return a == null || Instant.parse(a).isBefore(Instant.parse(b)) ? b : a;
    }

    private static DriftRecord record(Open o) {
        return new DriftRecord(format(o.since()), null, null, o.area().name(), o.object().toString(), o.change(),
                o.fields().isEmpty() ? null : o.fields(), o.changedBy(), o.action());
    }

    /** Ends the episode's record, if it is still among the recent ones: exactly once. */
    private static void resolve(List<DriftRecord> recent, Open episode, Instant at, DriftResolution how) {
        for (int i = 0; i < recent.size(); i++) {
            DriftRecord r = recent.get(i);
            if (isRecordOf(r, episode)) {
                recent.set(i, r.resolved(format(at), how));
                return;
            }
        }
    }

    private static void replace(List<DriftRecord> recent, Open episode, DriftRecord with) {
        for (int i = 0; i < recent.size(); i++) {
            if (isRecordOf(recent.get(i), episode)) {
                recent.set(i, with);
                return;
            }
        }
    }

    private static boolean isRecordOf(DriftRecord r, Open episode) {
        return r.resolvedTime() == null && r.object().equals(episode.object().toString()) && r.time() != null
                && Instant.parse(r.time()).equals(episode.since());
    }

    /**
     * What was outstanding when the status was written: its {@code outstanding} list, or, in a status written
     * before that list existed, the unrepaired records.
     */
    static List<Open> loadFromStatus(DriftStatus previous) {
        if (previous == null) {
            return List.of();
        }
        List<Open> open = new ArrayList<>();
        if (previous.outstanding() != null) {
            for (OutstandingDrift o : previous.outstanding()) {
                open.add(new Open(ObjectKey.parse(o.object()), area(o.area()), Instant.parse(o.since()), o.change(),
                        nullToEmpty(o.fields()), o.changedBy(), o.action()));
            }
            return open;
        }
        Map<String, Open> byObject = new LinkedHashMap<>();
        for (DriftRecord r : nullToEmpty(previous.recent())) {
            if (r.action() != DriftAction.Repaired && r.resolvedTime() == null && r.time() != null) {
                byObject.putIfAbsent(r.object(), new Open(ObjectKey.parse(r.object()), area(r.area()), Instant.parse(r.time()),
                        r.change(), nullToEmpty(r.fields()), r.changedBy(), r.action()));
            }
        }
        return List.copyOf(byObject.values());
    }

    private static Area area(String name) {
        try {
            return name == null ? Area.namespaces : Area.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Area.namespaces;
        }
    }
}
