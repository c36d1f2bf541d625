package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.standard.RevisionStore;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The standard's status: is it valid, where is its revision in the fleet, how is the fleet doing. */
final class StandardStatus {
    static final String VALID = "Valid";
    static final String PROGRESSING = "Progressing";
    static final String AVAILABLE = "Available";

    private StandardStatus() {
    }

    static PlatformStandardStatus of(PlatformStandard standard, String target, List<String> problems,
                                     List<ProductPlatform> fleet, List<ControllerRevision> stored) {
        PlatformStandardStatus previous = standard.getStatus();
        long generation = standard.getMetadata().getGeneration() == null ? 0 : standard.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation);

        Map<String, Long> byRevision = fleet.stream().map(StandardStatus::revisionOf).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        int total = fleet.size();
        long updated = target == null ? 0 : byRevision.getOrDefault(target, 0L);
        boolean paused = standard.getSpec() != null && standard.getSpec().rollout() != null
                && Boolean.TRUE.equals(standard.getSpec().rollout().paused());

        if (problems.isEmpty()) {
            conditions.set(VALID, new StatusAggregator.Verdict(true, Reason.Valid, "Revision " + target + " is valid."));
        } else {
            conditions.set(VALID, new StatusAggregator.Verdict(false, Reason.Invalid, "The standard is not used: "
                    + String.join("; ", problems) + "." + (target == null ? " Products keep the built-in standard."
                    : " Products stay on revision " + target + ".")));
        }
        String phase;
        if (target == null) {
            phase = "Complete";
            conditions.set(PROGRESSING, new StatusAggregator.Verdict(false, Reason.BuiltInStandard,
                    "No valid revision yet: products use the built-in standard."));
        } else if (updated == total) {
            phase = "Complete";
            conditions.set(PROGRESSING, new StatusAggregator.Verdict(false, Reason.RolloutComplete,
                    "Every product is on revision " + target + "."));
        } else if (paused) {
            phase = "Paused";
            conditions.set(PROGRESSING, new StatusAggregator.Verdict(false, Reason.RolloutPaused, "Paused with " + updated
                    + " of " + total + " products on revision " + target + "."));
        } else {
            phase = "Progressing";
            conditions.set(PROGRESSING, new StatusAggregator.Verdict(true, Reason.RolloutProgressing, updated + " of "
                    + total + " products are on revision " + target + "."));
        }
        conditions.set(AVAILABLE, updated == total
                ? new StatusAggregator.Verdict(true, Reason.AllProductsUpdated, "All " + total + " products are on the revision.")
                : new StatusAggregator.Verdict(false, Reason.ProductsUpdating, (total - updated) + " products are not on the revision yet."));

        Map<String, Long> order = stored.stream().collect(Collectors.toMap(
                r -> r.getMetadata().getLabels().get(RevisionStore.REVISION_LABEL), ControllerRevision::getRevision, (a, b) -> a));
        List<PlatformStandardStatus.RevisionCount> revisions = byRevision.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> order.getOrDefault(e.getKey(), -1L)).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(e -> new PlatformStandardStatus.RevisionCount(e.getKey(), e.getValue().intValue()))
                .toList();
        int ready = (int) fleet.stream().filter(p -> StatusAggregator.isTrue(p.getStatus(), StatusAggregator.READY)).count();
        int inSync = (int) fleet.stream().filter(p -> StatusAggregator.isTrue(p.getStatus(), StatusAggregator.IN_SYNC)).count();
        String previousRevision = previous == null || previous.rollout() == null ? null : previous.rollout().previousRevision();
        if (previous != null && previous.revision() != null && !previous.revision().equals(target)) {
            previousRevision = previous.revision();
        }
        return new PlatformStandardStatus(generation, target, conditions.build(),
                new PlatformStandardStatus.RolloutStatus(phase, null, updated + "/" + total, previousRevision),
                revisions, total, ready, inSync);
    }

    private static String revisionOf(ProductPlatform product) {
        ProductPlatformStatus status = product.getStatus();
        return status == null ? null : status.standardRevision();
    }
}
