package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;

import java.util.List;

/** One object that differs from the standard, and what was done about it. */
public record Finding(Area area, ObjectKey object, DriftChange change, List<String> fields, String changedBy,
                      DriftAction action, String error) {

    public String describe() {
        return object + (change == DriftChange.Missing ? " (missing)" : " (" + String.join(", ", fields) + ")");
    }
}
