package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;

import java.time.Instant;
import java.util.List;

/**
 * One object that differs from the standard, and what was done about it.
 *
 * @param seenAt     when the comparison found it
 * @param repairedAt when the repair's write returned (action Repaired), else null
 */
public record Finding(Area area, ObjectKey object, DriftChange change, List<String> fields, String changedBy,
                      DriftAction action, String error, Instant seenAt, Instant repairedAt) {

    public Finding(Area area, ObjectKey object, DriftChange change, List<String> fields, String changedBy,
                   DriftAction action, String error) {
        this(area, object, change, fields, changedBy, action, error, Instant.now(),
                action == DriftAction.Repaired ? Instant.now() : null);
    }

    public String describe() {
        return object + (change == DriftChange.Missing ? " (missing)" : " (" + String.join(", ", fields) + ")");
    }

    public Finding withAction(DriftAction other) {
        return new Finding(area, object, change, fields, changedBy, other, error, seenAt, other == DriftAction.Repaired ? repairedAt : null);
    }
}
