package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.api.v1alpha1.Tier;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Which revision a product is on: the one decision, every case. */
class RevisionChoiceTest {
    private static final String BUILT_IN = "b000000";
    private static final String OLD = "a111111";
    private static final String TARGET = "c222222";
    private static final Predicate<String> STORED = Set.of(BUILT_IN, OLD, TARGET)::contains;
    private static final Map<String, String> CANARY = Map.of("groundwork.dev/canary", "true");
    private static final List<PlatformStandardSpec.Wave> WAVES = List.of(
            new PlatformStandardSpec.Wave("canary", new LabelSelectorBuilder().withMatchLabels(CANARY).build(), null, "1s"),
            new PlatformStandardSpec.Wave("sandbox", null, List.of(Tier.sandbox), "1s"),
            new PlatformStandardSpec.Wave("rest", null, List.of(Tier.critical), null));

    private static Optional<PlatformStandard> immediate(String target, Boolean paused) {
        return standard(target, new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Immediate, null, null, null, paused), null);
    }

    private static Optional<PlatformStandard> waves(boolean paused, RolloutPhase phase, String... started) {
        RolloutStatus rollout = new RolloutStatus(phase, null, null, TARGET, OLD, "2026-11-25T10:00:00Z",
                java.util.Arrays.stream(started).map(w -> new WaveStatus(w, 1, 1, 0, 0, 0, "2026-11-25T10:00:00Z",
                        null, null, null, null, null)).toList());
        return standard(TARGET, new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Waves, WAVES, "1m", 0, paused), rollout);
    }

    private static Optional<PlatformStandard> standard(String target, PlatformStandardSpec.Rollout rollout, RolloutStatus status) {
        PlatformStandard standard = new PlatformStandard();
        standard.setSpec(new PlatformStandardSpec(null, null, null, null, null, null, null, null, null, null, null, rollout));
        standard.setStatus(new PlatformStandardStatus(1L, target, null, status, null, null, null, null));
        return Optional.of(standard);
    }

    private static String choose(Optional<PlatformStandard> standard, Map<String, String> labels, Tier tier, String current) {
        return RevisionChoice.revisionFor(standard, labels, tier, Optional.ofNullable(current), STORED, BUILT_IN);
    }

    @Test
    void withoutAPlatformStandardTheBuiltInStandardApplies() {
        assertThat(choose(Optional.empty(), Map.of(), Tier.standard, OLD)).isEqualTo(BUILT_IN);
        assertThat(choose(Optional.empty(), Map.of(), Tier.standard, null)).isEqualTo(BUILT_IN);
    }

    @Test
    void immediateMovesEveryProductToTheNewestValidRevision() {
        assertThat(choose(immediate(TARGET, false), Map.of(), Tier.critical, OLD)).isEqualTo(TARGET);
        assertThat(choose(immediate(TARGET, null), Map.of(), Tier.critical, null)).isEqualTo(TARGET);
    }

    @Test
    void aPausedRolloutHoldsEachProductOnItsRevisionAndStartsNewOnesOnTheNewest() {
        assertThat(choose(immediate(TARGET, true), Map.of(), Tier.standard, OLD)).isEqualTo(OLD);
        assertThat(choose(immediate(TARGET, true), Map.of(), Tier.standard, null)).isEqualTo(TARGET);
    }

    @Test
    void aStandardNeverValidKeepsProductsWhereTheyAre() {
        assertThat(choose(immediate(null, false), Map.of(), Tier.standard, OLD)).isEqualTo(OLD);
        assertThat(choose(immediate(null, false), Map.of(), Tier.standard, null)).isEqualTo(BUILT_IN);
    }

    @Test
    void aRevisionNotStoredIsNeverChosen() {
        assertThat(choose(immediate("d333333", false), Map.of(), Tier.standard, OLD))
                .as("the target's ControllerRevision is not visible yet").isEqualTo(OLD);
        assertThat(choose(immediate(TARGET, true), Map.of(), Tier.standard, "gone000"))
                .as("paused on a revision that was pruned").isEqualTo(TARGET);
    }

    @Test
    void aProductMovesOnlyOnceItsWaveIsReleased() {
        Optional<PlatformStandard> canaryStarted = waves(false, RolloutPhase.Progressing, "canary");
        assertThat(choose(canaryStarted, CANARY, Tier.critical, OLD)).as("canary label wins over the tier").isEqualTo(TARGET);
        assertThat(choose(canaryStarted, Map.of(), Tier.sandbox, OLD)).isEqualTo(OLD);
        assertThat(choose(canaryStarted, Map.of(), Tier.standard, OLD)).as("no wave matches: the last").isEqualTo(OLD);
        Optional<PlatformStandard> sandboxStarted = waves(false, RolloutPhase.Progressing, "canary", "sandbox");
        assertThat(choose(sandboxStarted, Map.of(), Tier.sandbox, OLD)).isEqualTo(TARGET);
        assertThat(choose(sandboxStarted, Map.of(), Tier.critical, OLD)).isEqualTo(OLD);
        assertThat(choose(waves(false, RolloutPhase.Complete), Map.of(), Tier.critical, OLD)).isEqualTo(TARGET);
    }

    @Test
    void aHaltedRolloutMovesNoProductOfALaterWave() {
        Optional<PlatformStandard> halted = waves(false, RolloutPhase.Halted, "canary");
        assertThat(choose(halted, Map.of(), Tier.sandbox, OLD)).isEqualTo(OLD);
        assertThat(choose(halted, CANARY, Tier.sandbox, TARGET)).as("the halted wave stays where it went").isEqualTo(TARGET);
    }

    @Test
    void aNewProductStartsOnTheTargetOnlyIfItsWaveIsReleasedElseOnTheLastCompleteRevision() {
        Optional<PlatformStandard> canaryStarted = waves(false, RolloutPhase.Progressing, "canary");
        assertThat(choose(canaryStarted, CANARY, Tier.sandbox, null)).isEqualTo(TARGET);
        assertThat(choose(canaryStarted, Map.of(), Tier.sandbox, null)).isEqualTo(OLD);
    }

    @Test
    void pausedWavesHoldEvenReleasedProductsThatHaveNotMovedYet() {
        Optional<PlatformStandard> paused = waves(true, RolloutPhase.Paused, "canary");
        assertThat(choose(paused, CANARY, Tier.sandbox, OLD)).isEqualTo(OLD);
        assertThat(choose(paused, CANARY, Tier.sandbox, TARGET)).isEqualTo(TARGET);
    }

    @Test
    void switchingAHaltedRolloutToImmediateDoesNotPushTheFailedRevisionToEveryone() {
        PlatformStandard standard = waves(false, RolloutPhase.Halted, "canary").orElseThrow();
        standard.setSpec(new PlatformStandardSpec(null, null, null, null, null, null, null, null, null, null, null,
                new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Immediate, WAVES, "1m", 0, false)));
        assertThat(choose(Optional.of(standard), Map.of(), Tier.critical, OLD)).isEqualTo(OLD);
    }

    @Test
    void anImmediateRolloutHaltedByItsPreviewStillMovesTheProductsItDoesNotHoldBack() {
        // Found at 1,000 products (bench/fleet.sh): the halt came after 263 had moved and froze the 737 others.
        RolloutStatus halted = new RolloutStatus(RolloutPhase.Halted, RolloutProgress.IMMEDIATE, null, TARGET, OLD,
                "2026-11-25T10:00:00Z", List.of(WaveStatus.named(RolloutProgress.IMMEDIATE).products(3).failed(1).build()));
        Optional<PlatformStandard> standard = standard(TARGET,
                new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Immediate, null, null, null, null), halted);
        assertThat(choose(standard, Map.of(), Tier.critical, OLD))
                .as("a clean product not reconciled before the halt; the products' gate holds a blocked one").isEqualTo(TARGET);
    }

    @Test
    void aRolloutStatusOfAnotherTargetReleasesNothing() {
        PlatformStandard standard = waves(false, RolloutPhase.Progressing, "canary", "sandbox", "rest").orElseThrow();
        standard.setStatus(new PlatformStandardStatus(1L, "d333333", null, standard.getStatus().rollout(), null, null, null, null));
        Predicate<String> stored = Set.of(BUILT_IN, OLD, TARGET, "d333333")::contains;
        assertThat(RevisionChoice.revisionFor(Optional.of(standard), Map.of(), Tier.critical, Optional.of(OLD), stored, BUILT_IN))
                .as("the new target's first wave has not started yet").isEqualTo(OLD);
    }

    private static Optional<PlatformStandard> immediateIn(RolloutPhase phase) {
        RolloutStatus rollout = new RolloutStatus(phase, null, null, TARGET, OLD, "2026-11-25T10:00:00Z", null);
        return standard(TARGET, new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Immediate, null, null, null, null), rollout);
    }

    private static Object inputs(Optional<PlatformStandard> standard) {
        return RevisionChoice.inputs(standard.orElseThrow());
    }

    @Test
    void aRolloutCompletingChangesTheInputsOnlyWhenItReleasesSomething() {
        // Immediate: every product already moved while Progressing; completing concerns no product.
        assertThat(inputs(immediateIn(RolloutPhase.Complete))).isEqualTo(inputs(immediateIn(RolloutPhase.Progressing)));
        // Waves: completing after the last wave started releases nothing new; completing earlier (a wave that
        // selected nothing never started) releases the rest.
        assertThat(inputs(waves(false, RolloutPhase.Complete, "canary", "sandbox", "rest")))
                .isEqualTo(inputs(waves(false, RolloutPhase.Progressing, "canary", "sandbox", "rest")));
        assertThat(inputs(waves(false, RolloutPhase.Complete, "canary", "sandbox")))
                .isNotEqualTo(inputs(waves(false, RolloutPhase.Progressing, "canary", "sandbox")));
    }

    @Test
    void whatTheDecisionReadsChangesTheInputs() {
        assertThat(inputs(immediateIn(RolloutPhase.Halted))).isNotEqualTo(inputs(immediateIn(RolloutPhase.Progressing)));
        assertThat(inputs(waves(false, RolloutPhase.Progressing, "canary", "sandbox")))
                .isNotEqualTo(inputs(waves(false, RolloutPhase.Progressing, "canary")));
        assertThat(inputs(waves(true, RolloutPhase.Progressing, "canary"))).isNotEqualTo(inputs(waves(false, RolloutPhase.Progressing, "canary")));
        assertThat(inputs(immediate(TARGET, null))).isNotEqualTo(inputs(immediate(OLD, null)));
    }

    @Test
    void aResumeAcceptsTheProductsNamedInTheWaveItFinished() {
        RolloutStatus rollout = new RolloutStatus(RolloutPhase.Progressing, "sandbox", null, TARGET, OLD, "2026-11-25T10:00:00Z",
                List.of(WaveStatus.named("canary").products(2).moving(2).updated(1).healthy(1).failed(1)
                                .startedAt("2026-11-25T10:00:00Z").finishedAt("2026-11-25T10:01:00Z")
                                .failures(List.of(new dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure("held", "preview")))
                                .build(),
                        WaveStatus.named("sandbox").products(1).moving(1).updated(0).healthy(0).failed(1)
                                .startedAt("2026-11-25T10:01:00Z")
                                .failures(List.of(new dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure("halted", "preview")))
                                .build()));
        PlatformStandard standard = standard(TARGET, new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Waves, WAVES,
                "1m", 0, false), rollout).orElseThrow();
        assertThat(RevisionChoice.accepted(standard, "held")).isTrue();
        assertThat(RevisionChoice.accepted(standard, "halted")).as("its wave has not finished").isFalse();
        assertThat(RevisionChoice.accepted(standard, "other")).isFalse();
        PlatformStandard newer = standard(TARGET + "x", new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Waves,
                WAVES, "1m", 0, false), rollout).orElseThrow();
        assertThat(RevisionChoice.accepted(newer, "held")).as("accepted for that target only").isFalse();
    }
}
