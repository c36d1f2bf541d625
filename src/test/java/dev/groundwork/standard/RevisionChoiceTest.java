package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Which revision a product is on: the one decision, every case. */
class RevisionChoiceTest {
    private static final String BUILT_IN = "b000000";
    private static final Predicate<String> STORED = Set.of(BUILT_IN, "a111111", "c222222")::contains;

    private static Optional<PlatformStandard> standard(String target, Boolean paused) {
        PlatformStandard standard = new PlatformStandard();
        standard.setSpec(new PlatformStandardSpec(null, null, null, null, null, null, null, null, null, null,
                new PlatformStandardSpec.Rollout(PlatformStandardSpec.Strategy.Immediate, paused)));
        standard.setStatus(new PlatformStandardStatus(1L, target, null, null, null, null, null, null));
        return Optional.of(standard);
    }

    @Test
    void withoutAPlatformStandardTheBuiltInStandardApplies() {
        assertThat(RevisionChoice.revisionFor(Optional.empty(), Optional.of("a111111"), STORED, BUILT_IN)).isEqualTo(BUILT_IN);
        assertThat(RevisionChoice.revisionFor(Optional.empty(), Optional.empty(), STORED, BUILT_IN)).isEqualTo(BUILT_IN);
    }

    @Test
    void immediateMovesEveryProductToTheNewestValidRevision() {
        assertThat(RevisionChoice.revisionFor(standard("c222222", false), Optional.of("a111111"), STORED, BUILT_IN)).isEqualTo("c222222");
        assertThat(RevisionChoice.revisionFor(standard("c222222", null), Optional.empty(), STORED, BUILT_IN)).isEqualTo("c222222");
    }

    @Test
    void aPausedRolloutHoldsEachProductOnItsRevisionAndStartsNewOnesOnTheNewest() {
        assertThat(RevisionChoice.revisionFor(standard("c222222", true), Optional.of("a111111"), STORED, BUILT_IN)).isEqualTo("a111111");
        assertThat(RevisionChoice.revisionFor(standard("c222222", true), Optional.empty(), STORED, BUILT_IN)).isEqualTo("c222222");
    }

    @Test
    void aStandardNeverValidKeepsProductsWhereTheyAre() {
        assertThat(RevisionChoice.revisionFor(standard(null, false), Optional.of("a111111"), STORED, BUILT_IN)).isEqualTo("a111111");
        assertThat(RevisionChoice.revisionFor(standard(null, false), Optional.empty(), STORED, BUILT_IN)).isEqualTo(BUILT_IN);
    }

    @Test
    void aRevisionNotStoredIsNeverChosen() {
        assertThat(RevisionChoice.revisionFor(standard("d333333", false), Optional.of("a111111"), STORED, BUILT_IN))
                .as("the target's ControllerRevision is not visible yet").isEqualTo("a111111");
        assertThat(RevisionChoice.revisionFor(standard("c222222", true), Optional.of("gone000"), STORED, BUILT_IN))
                .as("paused on a revision that was pruned").isEqualTo("c222222");
    }
}
