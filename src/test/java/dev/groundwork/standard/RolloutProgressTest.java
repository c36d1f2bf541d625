package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandardSpec.Wave;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.standard.RolloutProgress.Outcome;
import dev.groundwork.standard.RolloutProgress.Product;
import dev.groundwork.standard.RolloutProgress.Transition;
import dev.groundwork.standard.RolloutProgress.Workload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollout's state machine, step by step, with the clock and the fleet in the test's hands. */
class RolloutProgressTest {
    private static final String OLD = "a111111";
    private static final String NEW = "c222222";
    private static final String BUILT_IN = "b000000";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final List<Wave> WAVES = List.of(
            new Wave("canary", null, List.of(Tier.sandbox), "10s"),
            new Wave("standard", null, List.of(Tier.standard), "30s"),
            new Wave("critical", null, List.of(Tier.critical), null));

    private final Map<String, Product> fleet = new HashMap<>();
    private final Map<String, List<Workload>> unavailable = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    private RolloutStatus status = new RolloutStatus(RolloutPhase.Complete, null, "3/3", OLD, BUILT_IN, T0.minusSeconds(600).toString(), List.of());

    private void product(String name, int wave, String revision, boolean ready) {
        fleet.put(name, new Product(name, wave, revision, ready, ready, ready ? "ok" : "quota refused", List.of(name + "-prod")));
    }

    private RolloutProgress.Settings settings(int maxFailures, boolean paused) {
        return new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Waves, WAVES, Duration.ofSeconds(20), maxFailures, paused);
    }

    private Outcome step(String target, int secondsAfterT0, RolloutProgress.Settings settings, boolean resume) {
        Outcome outcome = RolloutProgress.next(target, status, status == null ? null : status.targetRevision(), BUILT_IN,
                settings, fleet.values().stream().sorted(java.util.Comparator.comparing(Product::name)).toList(),
                p -> {
                    probed.add(p.name());
                    return unavailable.getOrDefault(p.name(), List.of());
                }, resume, T0.plusSeconds(secondsAfterT0));
        status = outcome.status();
        return outcome;
    }

    private Outcome step(int secondsAfterT0) {
        return step(NEW, secondsAfterT0, settings(0, false), false);
    }

    private void move(String name) {
        Product p = fleet.get(name);
        fleet.put(name, new Product(name, p.wave(), NEW, true, true, "ok", p.namespaces()));
    }

    private WaveStatus wave(String name) {
        return status.waves().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private void threeWavesOfTwo() {
        product("c1", 0, OLD, true);
        product("c2", 0, OLD, true);
        product("s1", 1, OLD, true);
        product("s2", 1, OLD, true);
        product("k1", 2, OLD, true);
        product("k2", 2, OLD, true);
    }

    @Test
    void aNewRevisionStartsTheFirstWaveOnlyAndRemembersWhereARollbackReturns() {
        threeWavesOfTwo();
        Outcome outcome = step(0);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(status.wave()).isEqualTo("canary");
        assertThat(status.targetRevision()).isEqualTo(NEW);
        assertThat(status.previousRevision()).as("the last complete revision").isEqualTo(OLD);
        assertThat(status.waves()).extracting(WaveStatus::name).containsExactly("canary");
        assertThat(wave("canary").startedAt()).isEqualTo(T0.toString());
        assertThat(wave("canary").products()).isEqualTo(2);
        assertThat(outcome.transitions()).containsExactly(new Transition.WaveStarted("canary", 2));
        assertThat(outcome.recheckAfter()).as("at the progress deadline").hasValueSatisfying(d -> assertThat(d).isBetween(
                Duration.ofSeconds(20), Duration.ofSeconds(21)));
    }

    @Test
    void theNextWaveStartsOnlyOnceEveryProductIsHealthyAndTheSoakHasPassedWithThemHealthy() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        step(2);
        assertThat(wave("canary").soakUntil()).as("not every product is healthy yet").isNull();
        move("c2");
        Outcome soaking = step(3);
        assertThat(wave("canary").soakUntil()).isEqualTo(T0.plusSeconds(13).toString());
        assertThat(wave("canary").healthy()).isEqualTo(2);
        assertThat(soaking.recheckAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11)));
        assertThat(status.waves()).hasSize(1);

        // Unhealthy during the soak: the soak starts again once healthy.
        fleet.put("c2", new Product("c2", 0, NEW, false, true, "a write was refused", List.of("c2-prod")));
        step(8);
        assertThat(wave("canary").soakUntil()).isNull();
        move("c2");
        step(9);
        assertThat(wave("canary").soakUntil()).isEqualTo(T0.plusSeconds(19).toString());
        step(18);
        assertThat(status.waves()).hasSize(1);

        Outcome next = step(19);
        assertThat(wave("canary").finishedAt()).isEqualTo(T0.plusSeconds(19).toString());
        assertThat(status.wave()).isEqualTo("standard");
        assertThat(wave("standard").startedAt()).isEqualTo(T0.plusSeconds(19).toString());
        assertThat(next.transitions()).containsExactly(new Transition.WaveDone("canary", Duration.ofSeconds(19)),
                new Transition.WaveStarted("standard", 2));
    }

    @Test
    void theWholeRolloutCompletesAfterTheLastWaveWhichHasNoSoak() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        move("c2");
        step(1);
        step(11);
        move("s1");
        move("s2");
        step(12);
        step(42);
        assertThat(status.wave()).isEqualTo("critical");
        move("k1");
        move("k2");
        Outcome done = step(43);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
        assertThat(status.wave()).isNull();
        assertThat(status.updated()).isEqualTo("6/6");
        assertThat(done.transitions()).containsExactly(new Transition.WaveDone("critical", Duration.ofSeconds(1)),
                new Transition.Completed(NEW, Duration.ofSeconds(43)));
        assertThat(step(50).transitions()).as("complete is told once").isEmpty();
    }

    @Test
    void theSameFactsGiveTheSameStatusSoNothingIsWrittenTwice() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        RolloutStatus once = step(2).status();
        assertThat(step(2).status()).isEqualTo(once);
        assertThat(step(3).status()).as("time alone changes nothing before a deadline or soak end").isEqualTo(once);
    }

    @Test
    void aProductStillUnhealthyAtTheDeadlineFailsAndHaltsTheRolloutNamingIt() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        fleet.put("c2", new Product("c2", 0, NEW, false, false, "ResourceQuota refused by policy deny-quota", List.of("c2-prod")));
        Outcome before = step(19);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(before.recheckAfter()).hasValueSatisfying(d -> assertThat(d).isLessThan(Duration.ofSeconds(2)));

        Outcome halted = step(20);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        assertThat(status.wave()).isEqualTo("canary");
        assertThat(wave("canary").failed()).isEqualTo(1);
        assertThat(wave("canary").failures()).singleElement().satisfies(f -> {
            assertThat(f.product()).isEqualTo("c2");
            assertThat(f.reason()).isEqualTo("not Ready: ResourceQuota refused by policy deny-quota");
        });
        assertThat(status.waves()).as("later waves untouched").hasSize(1);
        assertThat(halted.transitions()).singleElement().isInstanceOf(Transition.Halted.class);
    }

    @Test
    void aHaltHoldsEvenWhenTheProductRecoversUntilItIsResumed() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        step(20);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        move("c2");
        assertThat(step(40).transitions()).isEmpty();
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        assertThat(status.waves()).hasSize(1);

        Outcome resumed = step(NEW, 41, settings(0, false), true);
        assertThat(resumed.transitions()).hasSize(2);
        assertThat(resumed.transitions().get(0)).isInstanceOf(Transition.Resumed.class);
        assertThat(resumed.transitions().get(1)).isEqualTo(new Transition.WaveStarted("standard", 2));
        assertThat(wave("canary").finishedAt()).isEqualTo(T0.plusSeconds(41).toString());
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
    }

    @Test
    void maxFailuresAreToleratedPerWave() {
        threeWavesOfTwo();
        step(NEW, 0, settings(1, false), false);
        move("c1");
        step(NEW, 20, settings(1, false), false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(wave("canary").failed()).isEqualTo(1);
        assertThat(wave("canary").soakUntil()).as("the rest is healthy: soaking").isNotNull();
        step(NEW, 30, settings(1, false), false);
        assertThat(status.wave()).isEqualTo("standard");
    }

    @Test
    void aProductNotReadyBeforeTheMoveDoesNotCountAgainstTheChange() {
        threeWavesOfTwo();
        product("c2", 0, OLD, false);
        step(0);
        assertThat(wave("canary").notReadyBefore()).containsExactly("c2");
        move("c1");
        step(25);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(wave("canary").failed()).isZero();
        step(35);
        assertThat(status.wave()).isEqualTo("standard");
    }

    @Test
    void aWorkloadAvailableBeforeTheMoveAndNotAfterMakesTheProductFail() {
        threeWavesOfTwo();
        unavailable.put("c1", List.of(new Workload("c1-prod/Deployment/broken-before", T0.minusSeconds(100))));
        step(0);
        assertThat(wave("canary").unavailableBefore()).containsExactly("c1-prod/Deployment/broken-before");
        move("c1");
        move("c2");
        unavailable.put("c2", List.of(new Workload("c2-prod/Deployment/web", T0.minusSeconds(100)),
                new Workload("c2-prod/Deployment/created-after", T0.plusSeconds(1))));
        step(5);
        assertThat(wave("canary").soakUntil()).isNull();
        step(20);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        assertThat(wave("canary").failures()).singleElement().satisfies(f -> {
            assertThat(f.product()).isEqualTo("c2");
            assertThat(f.reason()).isEqualTo("lost availability after the change: c2-prod/Deployment/web");
        });
    }

    @Test
    void workloadsAreReadOnlyForProductsOtherwiseHealthyAndWhenAWaveStarts() {
        threeWavesOfTwo();
        step(0);
        assertThat(probed).containsExactlyInAnyOrder("c1", "c2");
        probed.clear();
        step(1);
        assertThat(probed).as("no product moved yet").isEmpty();
        move("c1");
        step(2);
        assertThat(probed).containsExactly("c1");
    }

    @Test
    void aNewerRevisionSupersedesTheRolloutFromTheFirstWave() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        move("c2");
        step(1);
        step(11);
        assertThat(status.wave()).isEqualTo("standard");
        Outcome superseded = step("d333333", 12, settings(0, false), false);
        assertThat(status.targetRevision()).isEqualTo("d333333");
        assertThat(status.previousRevision()).as("still the last revision every product reached").isEqualTo(OLD);
        assertThat(status.wave()).isEqualTo("canary");
        assertThat(status.waves()).extracting(WaveStatus::name).containsExactly("canary");
        assertThat(status.startedAt()).isEqualTo(T0.plusSeconds(12).toString());
        assertThat(superseded.transitions()).containsExactly(new Transition.WaveStarted("canary", 2));
    }

    @Test
    void aPausedRolloutStartsNoWave() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        move("c2");
        step(NEW, 1, settings(0, true), false);
        step(NEW, 30, settings(0, true), false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Paused);
        assertThat(status.waves()).hasSize(1);
        step(NEW, 31, settings(0, false), false);
        assertThat(status.wave()).isEqualTo("standard");
    }

    @Test
    void aWaveWithoutProductsOrWithNothingToMoveFinishesAtOnceAndQuietly() {
        product("k1", 2, NEW, true);
        product("s1", 1, NEW, true);
        Outcome outcome = step(0);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
        assertThat(status.waves()).extracting(WaveStatus::finishedAt).containsOnly(T0.toString());
        assertThat(outcome.transitions()).as("nothing moved: nothing to tell").isEmpty();
    }

    @Test
    void immediateMovesEveryoneAndReportsProgressByCount() {
        threeWavesOfTwo();
        RolloutProgress.Settings immediate = new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Immediate, WAVES,
                Duration.ofSeconds(20), 0, false);
        step(NEW, 0, immediate, false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(status.waves()).isNull();
        fleet.keySet().forEach(this::move);
        Outcome done = step(NEW, 1, immediate, false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
        assertThat(status.updated()).isEqualTo("6/6");
        assertThat(done.transitions()).containsExactly(new Transition.Completed(NEW, Duration.ofSeconds(1)));
    }

    @Test
    void aHaltedRolloutSwitchedToImmediateStaysHaltedUntilResumed() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        step(20);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        RolloutProgress.Settings immediate = new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Immediate, WAVES,
                Duration.ofSeconds(20), 0, false);
        step(NEW, 21, immediate, false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        Outcome resumed = step(NEW, 22, immediate, true);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(resumed.transitions()).singleElement().isInstanceOfSatisfying(Transition.Resumed.class,
                r -> assertThat(r.failures()).extracting(f -> f.product()).containsExactly("c2"));
    }

    @Test
    void creatingTheStandardWithTheContentInForceMovesNothingAndTellsNothing() {
        product("k1", 2, NEW, true);
        status = null;
        RolloutProgress.Settings immediate = new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Immediate, WAVES,
                Duration.ofSeconds(20), 0, false);
        assertThat(step(NEW, 0, immediate, false).transitions()).isEmpty();
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
    }

    @Test
    void aRollbackMovesOnlyTheProductsThatLeftTheOldRevision() {
        threeWavesOfTwo();
        step(0);
        move("c1");
        step(20);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);

        Outcome rollback = step(OLD, 21, settings(0, false), false);
        assertThat(status.targetRevision()).isEqualTo(OLD);
        assertThat(status.previousRevision()).as("the old revision is the safe place itself").isEqualTo(OLD);
        assertThat(wave("canary").moving()).isEqualTo(1);
        assertThat(rollback.transitions()).containsExactly(new Transition.WaveStarted("canary", 1));
        fleet.put("c1", new Product("c1", 0, OLD, true, true, "ok", List.of("c1-prod")));
        step(OLD, 22, settings(0, false), false);
        Outcome done = step(OLD, 33, settings(0, false), false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
        assertThat(status.waves()).extracting(WaveStatus::moving).containsExactly(1, 0, 0);
        assertThat(done.transitions()).contains(new Transition.Completed(OLD, Duration.ofSeconds(12)));
    }

    @Test
    void theFirstRolloutReturnsToTheBuiltInRevision() {
        status = null;
        threeWavesOfTwo();
        step(0);
        assertThat(status.previousRevision()).isEqualTo(BUILT_IN);
    }

    private void blocked(String name, String... findings) {
        Product p = fleet.get(name);
        fleet.put(name, new Product(name, p.wave(), p.revision(), p.ready(), p.inSync(), p.readyMessage(), p.namespaces(),
                List.of(findings)));
    }

    @Test
    void aProductItsPreviewHoldsBackHaltsItsWaveWhenItStartsAndResumeAcceptsIt() {
        threeWavesOfTwo();
        blocked("c2", "Pod c2-prod/root: would violate restricted");
        Outcome started = step(0);

        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        assertThat(status.wave()).isEqualTo("canary");
        assertThat(wave("canary").failures()).singleElement().satisfies(f -> {
            assertThat(f.product()).isEqualTo("c2");
            assertThat(f.reason()).isEqualTo("held back by its preview of revision " + NEW + ": Pod c2-prod/root: would violate restricted");
        });
        assertThat(started.transitions()).containsExactly(new Transition.WaveStarted("canary", 2),
                new Transition.Halted("canary", wave("canary").failures()));
        assertThat(status.waves()).as("later waves not started").extracting(WaveStatus::name).containsExactly("canary");

        move("c1");
        step(5);
        assertThat(status.phase()).as("a halt holds").isEqualTo(RolloutPhase.Halted);

        Outcome resumed = step(NEW, 6, settings(0, false), true);
        assertThat(resumed.transitions()).first().isInstanceOf(Transition.Resumed.class);
        assertThat(wave("canary").finishedAt()).isNotNull();
        assertThat(RevisionChoice.acceptedIn(status)).containsExactly("c2");
        assertThat(status.wave()).isEqualTo("standard");
    }

    @Test
    void underWarnAProductWithBlockingFindingsDoesNotHaltItsWave() {
        threeWavesOfTwo();
        blocked("c2", "Pod c2-prod/root: would violate restricted");
        step(NEW, 0, new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Waves, WAVES, Duration.ofSeconds(20), 0, false,
                dev.groundwork.api.v1alpha1.ImpactPolicy.Warn), false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(wave("canary").failures()).isNull();
    }

    @Test
    void aProductOfALaterWaveDoesNotHaltTheWaveInProgress() {
        threeWavesOfTwo();
        blocked("k1", "ResourceQuota k1-prod/groundwork-storage: below usage");
        step(0);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
    }

    @Test
    void immediateObeysTheImpactPolicyToo() {
        threeWavesOfTwo();
        blocked("s1", "Pod s1-prod/root: would violate restricted");
        RolloutProgress.Settings immediate = new RolloutProgress.Settings(PlatformStandardSpec.Strategy.Immediate, WAVES,
                Duration.ofSeconds(20), 0, false);
        Outcome halted = step(NEW, 0, immediate, false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Halted);
        assertThat(status.wave()).isEqualTo(RolloutProgress.IMMEDIATE);
        assertThat(status.waves()).singleElement().satisfies(w -> assertThat(w.failures())
                .extracting(f -> f.product()).containsExactly("s1"));
        assertThat(halted.transitions()).singleElement().isInstanceOf(Transition.Halted.class);
        blocked("k1", "ResourceQuota k1-prod/groundwork-storage: below usage");
        step(NEW, 1, immediate, false);
        assertThat(status.waves().get(0).failures()).as("held back after the halt: named too")
                .extracting(f -> f.product()).containsExactly("s1", "k1");

        step(NEW, 1, immediate, true);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Progressing);
        assertThat(RevisionChoice.acceptedIn(status)).containsExactlyInAnyOrder("s1", "k1");
        step(NEW, 2, immediate, false);
        assertThat(status.phase()).as("accepted: no second halt").isEqualTo(RolloutPhase.Progressing);
        fleet.keySet().forEach(this::move);
        step(NEW, 3, immediate, false);
        assertThat(status.phase()).isEqualTo(RolloutPhase.Complete);
    }

    @Test
    void everyHeldBackProductIsNamedButOnlyTheFirstTwentyWithTheirFindingsSoTheStatusStaysSmall() {
        // A change that blocks thousands of products must not grow the standard's status past what etcd stores.
        for (int i = 0; i < 3000; i++) {
            String name = "p%04d".formatted(i);
            fleet.put(name, new Product(name, 0, OLD, true, true, "ok", List.of(name + "-prod"),
                    List.of("Pod " + name + "-prod/app: " + "would violate restricted: runAsNonRoot != true. ".repeat(20))));
        }
        step(0);
        List<ProductFailure> failures = wave("canary").failures();
        assertThat(failures).hasSize(3000);
        assertThat(failures.get(19).reason()).startsWith("held back by its preview of revision " + NEW + ": Pod p0019-prod/app: ")
                .hasSize(("held back by its preview of revision " + NEW + ": ").length() + RolloutProgress.DETAIL_CHARS).endsWith("…");
        assertThat(failures.get(20).reason())
                .isEqualTo("held back by its preview of revision " + NEW + ": 1 blocking finding (in its status.preview)");
        int bytes = io.fabric8.kubernetes.client.utils.Serialization.asJson(status).length();
        System.out.printf("3,000 held back: rollout status %d bytes%n", bytes);
        assertThat(bytes).as("well under etcd's 1.5 MiB").isLessThan(500_000);

        blocked("p0020", "Pod p0020-prod/late: would violate restricted");
        step(1);
        assertThat(wave("canary").failures()).as("named once, as it was").hasSize(3000);
        step(NEW, 2, settings(0, false), true);
        assertThat(RevisionChoice.acceptedIn(status)).as("a resume accepts every one named").hasSize(3000);
    }

    @Test
    void aProductHeldBackAfterTheHaltIsNamedTooAndAcceptedByTheResume() {
        threeWavesOfTwo();
        blocked("c2", "Pod c2-prod/root: would violate restricted");
        step(0);
        blocked("c1", "Pod c1-prod/late: would violate restricted");
        step(1);
        assertThat(wave("canary").failures()).extracting(f -> f.product()).containsExactly("c2", "c1");
        step(NEW, 2, settings(0, false), true);
        assertThat(RevisionChoice.acceptedIn(status)).containsExactlyInAnyOrder("c1", "c2");
    }
}
