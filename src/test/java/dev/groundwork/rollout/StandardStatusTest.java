package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.ConditionType;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.standard.RevisionStore;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The PlatformStandard's status: Valid, Progressing and Available, and the fleet counted by revision. */
class StandardStatusTest {
    private static final String EARLIER = "2026-01-01T00:00:00Z";
    private static final List<String> VALID = List.of();

    private static PlatformStandard standard(long generation, PlatformStandardStatus previous) {
        PlatformStandard standard = new PlatformStandard();
        standard.setMetadata(new ObjectMetaBuilder().withName(PlatformStandard.NAME).withGeneration(generation).build());
        standard.setStatus(previous);
        return standard;
    }

    private static PlatformStandard standard() {
        return standard(4, null);
    }

    private static ProductPlatform product(String name, String revision, boolean ready, boolean inSync) {
        ProductPlatform product = new ProductPlatform();
        product.setMetadata(new ObjectMetaBuilder().withName(name).build());
        product.setStatus(new ProductPlatformStatus(1L, revision, 10, List.of(),
                List.of(condition("Ready", ready, EARLIER), condition("InSync", inSync, EARLIER)), null));
        return product;
    }

    private static ProductPlatform on(String name, String revision) {
        return product(name, revision, true, true);
    }

    private static Condition condition(String type, boolean status, String since) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason("Any")
                .withMessage("any").withLastTransitionTime(since).build();
    }

    private static ControllerRevision stored(String revision, long number) {
        return new ControllerRevisionBuilder().withNewMetadata().withName(RevisionStore.name(revision))
                .withLabels(Map.of(RevisionStore.REVISION_LABEL, revision)).endMetadata().withRevision(number).build();
    }

    private static Condition condition(PlatformStandardStatus status, ConditionType type) {
        return status.conditions().stream().filter(type::is).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + status.conditions()));
    }

    private static RolloutStatus rollout(RolloutPhase phase, String wave, WaveStatus... waves) {
        return new RolloutStatus(phase, wave, "1/3", "r2", "r1", EARLIER, List.of(waves));
    }

    private static PlatformStandardStatus status(List<ProductPlatform> fleet, RolloutStatus rollout) {
        return StandardStatus.of(standard(), "r2", VALID, fleet, List.of(stored("r1", 1), stored("r2", 2)),
                Optional.of(rollout));
    }

    private static List<ProductPlatform> oneOfThreeOnR2() {
        return List.of(on("shop", "r2"), on("pay", "r1"), on("ledger", "r1"));
    }

    /** The Progressing condition with one of three products on r2 and the rollout in that phase and wave. */
    private static Condition progressing(RolloutPhase phase, String wave, WaveStatus... waves) {
        return condition(status(oneOfThreeOnR2(), rollout(phase, wave, waves)), ConditionType.Progressing);
    }

    private static void assertCondition(Condition condition, String status, String reason, String message) {
        assertThat(condition.getStatus()).isEqualTo(status);
        assertThat(condition.getReason()).isEqualTo(reason);
        assertThat(condition.getMessage()).isEqualTo(message);
    }

    @Test
    void aValidRevisionEveryProductReachedIsValidAvailableAndNoLongerProgressing() {
        RolloutStatus complete = new RolloutStatus(RolloutPhase.Complete, null, "2/2", "r2", "r1", EARLIER, List.of());

        PlatformStandardStatus status = StandardStatus.of(standard(), "r2", VALID, List.of(on("shop", "r2"), on("pay", "r2")),
                List.of(stored("r2", 2)), Optional.of(complete));

        assertThat(status.revision()).isEqualTo("r2");
        assertThat(status.observedGeneration()).isEqualTo(4L);
        assertThat(status.rollout()).isEqualTo(complete);
        assertThat(status.conditions()).extracting(Condition::getType, Condition::getStatus, Condition::getReason,
                        Condition::getMessage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Valid", "True", "Valid", "Revision r2 is valid."),
                        org.assertj.core.groups.Tuple.tuple("Progressing", "False", "RolloutComplete",
                                "Every product is on revision r2."),
                        org.assertj.core.groups.Tuple.tuple("Available", "True", "AllProductsUpdated",
                                "All 2 products are on the revision."));
        assertThat(status.conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(4L));
    }

    @Test
    void anInvalidSpecSaysEveryProblemAndThatProductsStayOnTheValidRevision() {
        PlatformStandardStatus status = StandardStatus.of(standard(), "r1",
                List.of("environments: qa is missing but used by product shop", "access.bindableRoles: ClusterRole x does not exist"),
                List.of(on("shop", "r1")), List.of(stored("r1", 1)), Optional.of(
                        new RolloutStatus(RolloutPhase.Complete, null, "1/1", "r1", "r1", EARLIER, List.of())));

        assertCondition(condition(status, ConditionType.Valid), "False", "Invalid",
                "The standard is not used: environments: qa is missing but used by product "
                + "shop; access.bindableRoles: ClusterRole x does not exist. Products stay on revision r1.");
        assertThat(status.revision()).isEqualTo("r1");
    }

    @Test
    void anInvalidStandardBeforeAnyValidRevisionLeavesProductsOnTheBuiltInStandard() {
        PlatformStandardStatus status = StandardStatus.of(standard(), null, List.of("tiers: bad"),
                List.of(on("shop", "builtin"), on("pay", "builtin")), List.of(), Optional.empty());

        assertThat(condition(status, ConditionType.Valid).getMessage())
                .isEqualTo("The standard is not used: tiers: bad. Products keep the built-in standard.");
        assertCondition(condition(status, ConditionType.Progressing), "False", "BuiltInStandard",
                "No valid revision yet: products use the built-in standard.");
        assertCondition(condition(status, ConditionType.Available), "False", "ProductsUpdating",
                "2 products are not on the revision yet.");
        assertThat(status.rollout().phase()).isEqualTo(RolloutPhase.Complete);
        assertThat(status.rollout().updated()).isEqualTo("0/2");
        assertThat(status.revision()).isNull();
    }

    @Test
    void revisionsAreCountedNewestFirstByControllerRevisionNumberNotByName() {
        List<ProductPlatform> fleet = new ArrayList<>();
        fleet.add(on("a", "aaa"));
        fleet.add(on("b", "aaa"));
        fleet.add(on("c", "zzz"));
        fleet.add(on("d", "mmm"));
        fleet.add(on("e", "unstored-b"));
        fleet.add(on("f", "unstored-a"));
        ProductPlatform noStatusYet = new ProductPlatform();
        noStatusYet.setMetadata(new ObjectMetaBuilder().withName("g").build());
        fleet.add(noStatusYet);

        PlatformStandardStatus status = StandardStatus.of(standard(), "mmm", VALID, fleet,
                List.of(stored("aaa", 1), stored("zzz", 2), stored("mmm", 3)), Optional.of(
                        new RolloutStatus(RolloutPhase.Progressing, null, "1/7", "mmm", "zzz", EARLIER, List.of())));

        assertThat(status.revisions()).extracting(r -> r.revision() + "=" + r.products())
                .containsExactly("mmm=1", "zzz=1", "aaa=2", "unstored-a=1", "unstored-b=1");
        assertThat(status.products()).isEqualTo(7);
        assertThat(condition(status, ConditionType.Available).getMessage())
                .isEqualTo("6 products are not on the revision yet.");
    }

    @Test
    void readyAndInSyncProductsAreCountedFromTheirOwnConditions() {
        List<ProductPlatform> fleet = List.of(product("a", "r2", true, true), product("b", "r2", true, false),
                product("c", "r2", false, false), product("d", "r2", false, true));

        PlatformStandardStatus status = status(fleet, rollout(RolloutPhase.Complete, null));

        assertThat(status.products()).isEqualTo(4);
        assertThat(status.readyProducts()).isEqualTo(2);
        assertThat(status.inSyncProducts()).isEqualTo(2);
    }

    @Test
    void aHaltedRolloutNamesItsFailuresAndBothCommands() {
        WaveStatus canary = WaveStatus.named("canary").products(3).healthy(1).failures(List.of(
                new ProductFailure("pay", "Ready is False: quota refused"),
                new ProductFailure("ledger", "workload ledger-prod/Deployment/api lost availability"))).build();

        assertCondition(progressing(RolloutPhase.Halted, "canary", canary), "False", "RolloutHalted",
                "Rollout of revision r2 halted in wave canary: "
                + "pay (Ready is False: quota refused), ledger (workload ledger-prod/Deployment/api lost availability). "
                + "Later waves keep their revision. "
                + "Resume with `kubectl annotate pstd default groundwork.dev/rollout=resume`, "
                + "or return to revision r1 with `kubectl annotate pstd default groundwork.dev/rollout=rollback`.");
    }

    @Test
    void aHaltNamingThousandsOfProductsNamesTenInItsMessageAndCountsTheRest() {
        List<ProductFailure> failures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            failures.add(new ProductFailure("p%04d".formatted(i), "held back by its preview of revision r2: 1 blocking finding (in its status.preview)"));
        }
        WaveStatus wave = WaveStatus.named("immediate").products(2000).failures(failures).build();

        String message = progressing(RolloutPhase.Halted, "immediate", wave).getMessage();
        assertThat(message).contains("p0009 (held back").doesNotContain("p0010")
                .contains(" and 1990 more products (status.rollout.waves names them all). Later waves keep their revision.");
        assertThat(message.length()).as("a condition that stays small whatever the fleet").isLessThan(2000);
    }

    @Test
    void aPausedRolloutSaysHowFarItGotAndHowToGoOn() {
        WaveStatus canary = WaveStatus.named("canary").products(2).healthy(1).soakUntil("2026-01-01T00:10:00Z").build();

        assertCondition(progressing(RolloutPhase.Paused, "canary", canary), "False", "RolloutPaused",
                "Paused with 1 of 3 products on revision r2; wave canary "
                + "(1 of 2 products healthy, soaking until 2026-01-01T00:10:00Z). Go on with "
                + "`kubectl patch pstd default --type merge -p '{\"spec\":{\"rollout\":{\"paused\":false}}}'`.");
    }

    @Test
    void aRolloutPausedBeforeItsWaveStartedSaysTheWaveHasNotStarted() {
        WaveStatus canary = WaveStatus.named("canary").products(1).healthy(1).build();

        assertThat(progressing(RolloutPhase.Paused, "prod", canary).getMessage())
                .startsWith("Paused with 1 of 3 products on revision r2; wave prod not started. ");
    }

    @Test
    void aProgressingWaveDoesNotCountProductsThatWereNotReadyBeforeTheChange() {
        WaveStatus canary = WaveStatus.named("canary").products(3).healthy(1).notReadyBefore(List.of("ledger")).build();

        assertCondition(progressing(RolloutPhase.Progressing, "canary", canary), "True", "RolloutProgressing",
                "Wave canary (1 of 2 products healthy, 1 not Ready before the change "
                + "and not counted); 1 of 3 products are on revision r2.");
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        PlatformStandardStatus previous = new PlatformStandardStatus(3L, "r2", List.of(
                condition("Valid", true, EARLIER), condition("Available", true, EARLIER)), null, List.of(), 3, 3, 3);

        PlatformStandardStatus status = StandardStatus.of(standard(5, previous), "r2", VALID, oneOfThreeOnR2(),
                List.of(stored("r2", 2)), Optional.of(rollout(RolloutPhase.Progressing, null)));

        assertThat(condition(status, ConditionType.Valid).getLastTransitionTime()).isEqualTo(EARLIER);
        assertThat(condition(status, ConditionType.Available).getStatus()).isEqualTo("False");
        assertThat(condition(status, ConditionType.Available).getLastTransitionTime()).isNotEqualTo(EARLIER);
        assertThat(status.observedGeneration()).isEqualTo(5L);
    }
}
