package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.ConditionType;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.preview.PreviewSummaries;
import dev.groundwork.standard.RevisionStore;
import dev.groundwork.standard.RolloutProgress;
import dev.groundwork.status.Conditions;
import dev.groundwork.status.ProductHealth;
import dev.groundwork.status.Verdict;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The standard's status: is it valid, where is its revision in the fleet, how is the fleet doing. */
final class StandardStatus {
    private StandardStatus() {
    }

    static PlatformStandardStatus of(PlatformStandard standard, String target, List<String> problems,
                                     List<ProductPlatform> fleet, List<ControllerRevision> stored,
                                     Optional<RolloutStatus> rollout) {
        PlatformStandardStatus previous = standard.getStatus();
        long generation = standard.getMetadata().getGeneration() == null ? 0 : standard.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation);

        Map<String, Long> byRevision = fleet.stream().map(StandardStatus::revisionOf).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        int total = fleet.size();
        long updated = target == null ? 0 : byRevision.getOrDefault(target, 0L);

        if (problems.isEmpty()) {
            conditions.set(ConditionType.Valid, new Verdict(true, Reason.Valid, "Revision " + target + " is valid."));
        } else {
            conditions.set(ConditionType.Valid, new Verdict(false, Reason.Invalid, "The standard is not used: "
                    + String.join("; ", problems) + "." + (target == null ? " Products keep the built-in standard."
                    : " Products stay on revision " + target + ".")));
        }
        RolloutStatus shown = rollout.orElse(new RolloutStatus(RolloutPhase.Complete, null, updated + "/" + total,
                null, null, null, null));
        conditions.set(ConditionType.Progressing, target == null
                ? new Verdict(false, Reason.BuiltInStandard, "No valid revision yet: products use the built-in standard.")
                : progressing(shown, updated, total));
        conditions.set(ConditionType.Available, updated == total
                ? new Verdict(true, Reason.AllProductsUpdated, "All " + total + " products are on the revision.")
                : new Verdict(false, Reason.ProductsUpdating, (total - updated) + " products are not on the revision yet."));

        Map<String, Long> order = stored.stream().collect(Collectors.toMap(
                r -> r.getMetadata().getLabels().get(RevisionStore.REVISION_LABEL), ControllerRevision::getRevision, (a, b) -> a));
        List<PlatformStandardStatus.RevisionCount> revisions = byRevision.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> order.getOrDefault(e.getKey(), -1L)).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(e -> new PlatformStandardStatus.RevisionCount(e.getKey(), e.getValue().intValue()))
                .toList();
        List<ProductHealth> health = fleet.stream().map(p -> ProductHealth.of(p.getStatus())).toList();
        int ready = (int) health.stream().filter(ProductHealth::ready).count();
        int inSync = (int) health.stream().filter(ProductHealth::inSync).count();
        Map<String, ProductPreview> previews = new TreeMap<>();
        fleet.forEach(p -> previews.put(p.getMetadata().getName(), p.getStatus() == null ? null : p.getStatus().preview()));
        return new PlatformStandardStatus(generation, target, conditions.build(), shown, revisions, total, ready, inSync,
                PreviewSummaries.of(target, previews));
    }

    /** The Progressing condition says where the rollout is and, when it stops, what to do. */
    private static Verdict progressing(RolloutStatus rollout, long updated, long total) {
        String target = rollout.targetRevision();
        Optional<WaveStatus> wave = Optional.ofNullable(rollout.waves()).orElse(List.of()).stream()
                .filter(w -> w.name().equals(rollout.wave())).findFirst();
        return switch (rollout.phase()) {
            case Complete -> new Verdict(false, Reason.RolloutComplete,
                    "Every product is on revision " + target + ".");
            case Halted -> new Verdict(false, Reason.RolloutHalted,
                    "Rollout of revision " + target + " halted in wave " + rollout.wave() + ": "
                            + RolloutRecorder.failures(wave.map(WaveStatus::failures).orElse(List.of()))
                            + ". Later waves keep their revision. Resume with `kubectl annotate pstd default "
                            + RolloutCommands.ANNOTATION + "=" + RolloutCommands.RESUME + "`, or return to revision "
                            + rollout.previousRevision() + " with `kubectl annotate pstd default " + RolloutCommands.ANNOTATION
                            + "=" + RolloutCommands.ROLLBACK + "`.");
            case Paused -> new Verdict(false, Reason.RolloutPaused, "Paused with "
                    + updated + " of " + total + " products on revision " + target
                    + wave.map(w -> "; wave " + w.name() + " " + waveProgress(w)).orElse(rollout.wave() == null ? ""
                    : "; wave " + rollout.wave() + " not started") + ". Go on with `kubectl patch pstd default --type merge -p "
                    + "'{\"spec\":{\"rollout\":{\"paused\":false}}}'`.");
            default -> new Verdict(true, Reason.RolloutProgressing, wave.map(w -> "Wave " + w.name() + " "
                    + waveProgress(w) + "; ").orElse("") + updated + " of " + total + " products are on revision " + target + ".");
        };
    }

    /** A wave in progress in a few words: who is healthy, who does not count, when the soak ends. */
    private static String waveProgress(WaveStatus wave) {
        int notCounted = wave.notReadyBefore() == null ? 0 : wave.notReadyBefore().size();
        return "(" + wave.healthy() + " of " + (wave.products() - notCounted) + " products healthy"
                + (notCounted == 0 ? "" : ", " + notCounted + " not Ready before the change and not counted")
                + (wave.soakUntil() == null ? "" : ", soaking until " + wave.soakUntil()) + ")";
    }

    private static String revisionOf(ProductPlatform product) {
        ProductPlatformStatus status = product.getStatus();
        return status == null ? null : status.standardRevision();
    }
}
