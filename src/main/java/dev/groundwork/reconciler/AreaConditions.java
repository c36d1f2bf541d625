package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Problem;
import dev.groundwork.drift.Finding;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns an area's outcome into its Ready condition: reason and a message a person can act on. */
final class AreaConditions {
    static final String DRIFT_REPORTED = "DriftReported";
    static final String APPLY_FAILED = "ApplyFailed";
    static final String REPAIR_BACKED_OFF = "RepairBackedOff";
    private static final int LISTED = 5;

    record Verdict(boolean ready, String reason, String message) {
    }

    private AreaConditions() {
    }

    static Verdict judge(Area area, AreaOutcome outcome, String readyReason, String readyMessage) {
        if (!outcome.problems.isEmpty()) {
            Set<String> messages = new LinkedHashSet<>();
            outcome.problems.stream().map(Problem::message).forEach(messages::add);
            return new Verdict(false, outcome.problems.get(0).reason(), String.join(" ", messages));
        }
        List<Finding> failed = outcome.findings.stream().filter(f -> f.action() == DriftAction.RepairFailed).toList();
        if (!failed.isEmpty()) {
            return new Verdict(false, APPLY_FAILED, "Could not apply " + failed.get(0).object() + ": "
                    + failed.get(0).error() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : ""));
        }
        if (!outcome.deferred.isEmpty()) {
            return new Verdict(false, REPAIR_BACKED_OFF, contested(outcome.deferred));
        }
        List<Finding> reported = java.util.stream.Stream.concat(outcome.findings.stream(), outcome.related.stream())
                .filter(f -> f.action() == DriftAction.Reported).toList();
        if (!reported.isEmpty()) {
            return new Verdict(false, DRIFT_REPORTED, "Audit mode: " + list(reported)
                    + ". Switch " + area + " to Enforce to apply the standard.");
        }
        String notes = outcome.notes.isEmpty() ? "" : " " + String.join(" ", outcome.notes);
        return new Verdict(true, readyReason, readyMessage + notes);
    }

    /** Names the object and the writer that keeps changing it; stable text, so a fight does not rewrite status. */
    static String contested(List<AreaOutcome.Deferred> deferred) {
        Finding first = deferred.get(0).finding();
        String who = first.changedBy() == null ? "another writer" : first.changedBy();
        return "Repairs back off: " + who + " keeps changing " + first.object()
                + (first.fields().isEmpty() ? "" : " (" + String.join(", ", first.fields()) + ")")
                + (deferred.size() > 1 ? " and " + (deferred.size() - 1) + " more objects" : "")
                + ". Stop that writer or make it leave groundwork's fields alone.";
    }

    static String list(List<Finding> findings) {
        String shown = findings.stream().limit(LISTED).map(Finding::describe).collect(Collectors.joining(", "));
        int more = findings.size() - LISTED;
        return findings.size() + (findings.size() == 1 ? " object differs" : " objects differ")
                + " from the standard: " + shown + (more > 0 ? " and " + more + " more" : "");
    }
}
