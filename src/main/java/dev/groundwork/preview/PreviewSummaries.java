package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.PreviewSummary;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The standard's summary of the products' previews of its target revision: how many products would change, the
 * objects by kind and change, products with findings by area and severity, and the first products with blocking
 * findings, by name. Pure; absent when no product has a preview of the target.
 */
public final class PreviewSummaries {
    public static final int NAMED = 20;
    static final int FINDINGS_PER_PRODUCT = 10;

    private PreviewSummaries() {
    }

    /** @param previews product name to its preview (any revision: only those of the target count) */
    public static PreviewSummary of(String target, Map<String, ProductPreview> previews) {
        Map<String, ProductPreview> ofTarget = new TreeMap<>();
        previews.forEach((product, preview) -> {
            if (preview != null && target != null && target.equals(preview.revision())) {
                ofTarget.put(product, preview);
            }
        });
        if (ofTarget.isEmpty()) {
            return null;
        }
        Map<String, int[]> byKind = new TreeMap<>();
        Map<String, Set<String>> byArea = new TreeMap<>();
        List<PreviewSummary.BlockedProduct> named = new ArrayList<>();
        int changing = 0;
        int blocked = 0;
        for (Map.Entry<String, ProductPreview> entry : ofTarget.entrySet()) {
            ProductPreview preview = entry.getValue();
            List<ObjectChange> changes = Optional.ofNullable(preview.changes()).orElse(List.of());
            if (!changes.isEmpty()) {
                changing++;
            }
            for (ObjectChange change : changes) {
                int[] counts = byKind.computeIfAbsent(kind(change.object()), k -> new int[3]);
                counts[change.change().ordinal()]++;
            }
            List<PreviewFinding> findings = Optional.ofNullable(preview.findings()).orElse(List.of());
            findings.forEach(f -> byArea.computeIfAbsent(f.area() + "/" + f.severity(), k -> new TreeSet<>()).add(entry.getKey()));
            List<String> blocking = findings.stream().filter(PreviewFinding::blocking)
                    .map(f -> f.subject() + ": " + f.message()).toList();
            if (!blocking.isEmpty()) {
                blocked++;
                if (named.size() < NAMED) {
                    named.add(new PreviewSummary.BlockedProduct(entry.getKey(),
                            blocking.subList(0, Math.min(FINDINGS_PER_PRODUCT, blocking.size()))));
                }
            }
        }
        List<PreviewSummary.KindChanges> objects = new ArrayList<>();
        byKind.forEach((kind, c) -> objects.add(new PreviewSummary.KindChanges(kind,
                c[ObjectChangeKind.Created.ordinal()], c[ObjectChangeKind.Updated.ordinal()], c[ObjectChangeKind.Pruned.ordinal()])));
        List<PreviewSummary.AreaCount> areas = new ArrayList<>();
        byArea.forEach((key, products) -> {
            String[] parts = key.split("/");
            areas.add(new PreviewSummary.AreaCount(parts[0], Severity.valueOf(parts[1]), products.size()));
        });
        String line = changing + " of " + ofTarget.size() + " changing, " + blocked + " blocked";
        return new PreviewSummary(target, line, ofTarget.size(), changing, objects.isEmpty() ? null : objects, blocked,
                areas.isEmpty() ? null : areas, named.isEmpty() ? null : named);
    }

    private static String kind(String object) {
        int space = object.indexOf(' ');
        return space < 0 ? object : object.substring(0, space);
    }
}
