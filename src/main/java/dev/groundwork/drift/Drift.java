package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftChange;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/**
 * The comparison of one desired object with the live one.
 *
 * @param restamp the content matches but the baseline hash does not (written before a change that left this
 *                object as it was): worth a silent re-apply in Enforce, never a finding
 */
public record Drift(Optional<DriftChange> change, List<String> fields, boolean restamp) {
    private static final String HASH_FIELD = "metadata.annotations." + BaselineHash.ANNOTATION;
    private static final Drift NONE = new Drift(Optional.empty(), List.of(), false);

    public static Drift of(HasMetadata desired, HasMetadata live) {
        if (live == null) {
            return new Drift(Optional.of(DriftChange.Missing), List.of(), false);
        }
        List<String> all = FieldComparator.differences(desired, live);
        List<String> fields = all.stream().filter(f -> !f.equals(HASH_FIELD)).toList();
        if (fields.isEmpty()) {
            return all.isEmpty() ? NONE : new Drift(Optional.empty(), List.of(), true);
        }
        return new Drift(Optional.of(DriftChange.Modified), fields, false);
    }

    public boolean inSync() {
        return change.isEmpty();
    }
}
