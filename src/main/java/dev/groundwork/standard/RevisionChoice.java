package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.api.v1alpha1.Tier;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which revision of the standard a product is on: the one decision, made here. The standard's controller decides
 * which waves are released (see {@link RolloutProgress}) and records it in the standard's status; a product of a
 * released wave moves to the target revision, any other stays where it is. With strategy Immediate every product
 * moves at once (but one its preview holds back: the products' controller keeps it), unless a Waves rollout of that
 * revision halted before. A paused rollout holds each product on the revision it is on. A product new to the
 * operator starts on the target if its wave is released, else on the last revision every product reached. With no
 * PlatformStandard, or none valid yet, the built-in standard applies.
 */
public final class RevisionChoice {
    private RevisionChoice() {
    }

    /**
     * @param standard the PlatformStandard, if there is one
     * @param labels   the product's labels, which with its tier place it in a wave
     * @param current  the revision the product's status names, if any
     * @param stored   whether a revision is stored (so it can be reconciled against)
     * @param builtIn  the built-in standard's revision
     */
    public static String revisionFor(Optional<PlatformStandard> standard, Map<String, String> labels, Tier tier,
                                     Optional<String> current, Predicate<String> stored, String builtIn) {
        if (standard.isEmpty()) {
            return builtIn;
        }
        Optional<String> held = current.filter(stored);
        Optional<String> target = standard.map(PlatformStandard::getStatus).map(PlatformStandardStatus::revision).filter(stored);
        if (target.isEmpty()) {
            // Never valid yet: products stay where they are.
            return held.orElse(builtIn);
        }
        PlatformStandardSpec.Rollout rollout = Optional.ofNullable(standard.get().getSpec()).map(PlatformStandardSpec::rollout)
                .orElse(null);
        RolloutProgress.Settings settings = RolloutProgress.Settings.of(rollout);
        if (held.isPresent() && (settings.paused() || held.get().equals(target.get()))) {
            return held.get();
        }
        Optional<RolloutStatus> progress = Optional.ofNullable(standard.get().getStatus().rollout())
                .filter(r -> target.get().equals(r.targetRevision()));
        if (!settings.hasWaves()) {
            // A Waves rollout that halted and was then switched to Immediate holds everyone (resume pushes it). An
            // Immediate rollout's own halt names the products its preview holds back, which the products' controller
            // keeps where they are: the others move, as a wave's others do.
            boolean frozen = progress.map(r -> r.phase() == RolloutPhase.Halted && !RolloutProgress.IMMEDIATE.equals(r.wave()))
                    .orElse(false);
            return frozen ? held.orElse(target.get()) : target.get();
        }
        String wave = settings.waves().get(Waves.indexOf(settings.waves(), labels, tier)).name();
        boolean released = progress.map(r -> r.phase() == RolloutPhase.Complete
                || Optional.ofNullable(r.waves()).orElse(List.of()).stream().anyMatch(w -> w.name().equals(wave))).orElse(false);
        if (released) {
            return target.get();
        }
        return held.or(() -> progress.map(RolloutStatus::previousRevision).filter(stored)).orElse(target.get());
    }

    /**
     * Whether a resume accepted the product's blocking findings for the standard's target: the product is named among
     * the failures of a wave (or of an Immediate rollout's entry) that finished, in the rollout of that target.
     */
    public static boolean accepted(PlatformStandard standard, String product) {
        Optional<PlatformStandardStatus> status = Optional.ofNullable(standard.getStatus());
        Optional<String> target = status.map(PlatformStandardStatus::revision);
        return status.map(PlatformStandardStatus::rollout).filter(r -> target.isPresent() && target.get().equals(r.targetRevision()))
                .map(RevisionChoice::acceptedIn).orElse(Set.of()).contains(product);
    }

    static Set<String> acceptedIn(RolloutStatus rollout) {
        Set<String> accepted = new TreeSet<>();
        Optional.ofNullable(rollout.waves()).orElse(List.of()).stream().filter(w -> w.finishedAt() != null)
                .forEach(w -> Optional.ofNullable(w.failures()).orElse(List.of()).forEach(f -> accepted.add(f.product())));
        return accepted;
    }

    /**
     * What of the standard this decision reads: a change of it concerns every product. Of the rollout's phase only
     * what {@link #revisionFor} reads counts (halted; complete, as releasing every wave): a rollout that completes
     * after every wave was released changes no product's revision and must not requeue the fleet.
     */
    public static Object inputs(PlatformStandard standard) {
        PlatformStandardStatus status = standard.getStatus();
        Optional<RolloutStatus> rollout = Optional.ofNullable(status).map(PlatformStandardStatus::rollout);
        Optional<PlatformStandardSpec.Rollout> settings = Optional.ofNullable(standard.getSpec()).map(PlatformStandardSpec::rollout);
        return List.of(Optional.ofNullable(status).map(PlatformStandardStatus::revision), settings,
                rollout.map(RolloutStatus::targetRevision),
                rollout.map(r -> r.phase() == RolloutPhase.Halted),
                rollout.map(RolloutStatus::previousRevision),
                rollout.map(r -> releasedWaves(r, RolloutProgress.Settings.of(settings.orElse(null)))));
    }

    private static Set<String> releasedWaves(RolloutStatus rollout, RolloutProgress.Settings settings) {
        Set<String> released = new TreeSet<>();
        if (rollout.phase() == RolloutPhase.Complete && settings.hasWaves()) {
            settings.waves().forEach(w -> released.add(w.name()));
        }
        Optional.ofNullable(rollout.waves()).orElse(List.of()).forEach(w -> released.add(w.name()));
        return released;
    }
}
