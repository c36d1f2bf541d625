package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPreview;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A product's preview from its parts, stable between reconciles: findings in a fixed order, and a finding found
 * again keeps the time it was first checked at, so the same evidence gives an equal status and nothing is written.
 */
public final class Previews {
    private static final Comparator<PreviewFinding> ORDER = Comparator.comparing((PreviewFinding f) -> f.severity().ordinal())
            .thenComparing(PreviewFinding::area).thenComparing(PreviewFinding::namespace)
            .thenComparing(PreviewFinding::subject).thenComparing(PreviewFinding::message);

    private Previews() {
    }

    /**
     * @param previous the product's preview as its status has it, if any: of the same revisions, its findings' times
     *                 are kept for those found again
     */
    public static ProductPreview of(String target, String from, List<ObjectChange> changes, List<PreviewFinding> findings,
                                    ProductPreview previous) {
        Map<PreviewFinding, String> seen = new HashMap<>();
        if (previous != null && target.equals(previous.revision()) && Objects.equals(from, previous.fromRevision())
                && previous.findings() != null) {
            previous.findings().forEach(f -> seen.put(f.checkedAt(null), f.checkedAt()));
        }
        List<PreviewFinding> stable = new ArrayList<>();
        for (PreviewFinding finding : findings) {
            String first = seen.get(finding.checkedAt(null));
            stable.add(first == null ? finding : finding.checkedAt(first));
        }
        stable.sort(ORDER);
        int blocking = (int) stable.stream().filter(PreviewFinding::blocking).count();
        return new ProductPreview(target, from, (int) Changes.count(changes, ObjectChangeKind.Created),
                (int) Changes.count(changes, ObjectChangeKind.Updated), (int) Changes.count(changes, ObjectChangeKind.Pruned),
                blocking, changes.isEmpty() ? null : List.copyOf(changes), stable.isEmpty() ? null : List.copyOf(stable));
    }
}
