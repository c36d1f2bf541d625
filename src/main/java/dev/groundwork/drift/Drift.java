package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/** The comparison of one desired object with what the cache holds. */
public record Drift(Optional<dev.groundwork.api.v1alpha1.DriftChange> change, List<String> fields) {
    private static final Drift NONE = new Drift(Optional.empty(), List.of());

    public static Drift of(HasMetadata desired, HasMetadata live) {
        if (live == null) {
            return new Drift(Optional.of(dev.groundwork.api.v1alpha1.DriftChange.Missing), List.of());
        }
        List<String> fields = FieldComparator.differences(desired, live);
        return fields.isEmpty() ? NONE : new Drift(Optional.of(dev.groundwork.api.v1alpha1.DriftChange.Modified), fields);
    }

    public boolean inSync() {
        return change.isEmpty();
    }
}
