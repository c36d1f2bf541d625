package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.ImpactPolicy;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The rollout of a revision, one step: from the rollout's state (kept in the standard's status, so a restarted
 * operator resumes where it was) and the fleet's facts now, the next state, what happened, and when to look again.
 * Pure; the standard's controller feeds it and carries the outcome out.
 *
 * <p>Waves start in order. A started wave's products move to the target (the products' controller reads that from
 * the status, see {@link RevisionChoice}); the next wave starts once every product of the wave is healthy on the
 * target and the soak time has passed with all of them healthy. Healthy: on the target, Ready, in sync, and no
 * workload in its namespaces lost availability since the wave started. A product not Ready when its wave started
 * does not count either way. A product still unhealthy once the progress deadline has passed has failed; more than
 * maxFailures failures in a wave halt the rollout until it is resumed or rolled back.
 */
public final class RolloutProgress {
    /**
     * A product as the rollout sees it.
     *
     * @param blocked the blocking findings of its preview of the target, while it is not on the target
     */
    public record Product(String name, int wave, String revision, boolean ready, boolean inSync, String readyMessage,
                          List<String> namespaces, List<String> blocked) {
        public Product(String name, int wave, String revision, boolean ready, boolean inSync, String readyMessage,
                       List<String> namespaces) {
            this(name, wave, revision, ready, inSync, readyMessage, namespaces, List.of());
        }

        boolean on(String target) {
            return target.equals(revision);
        }
    }

    /** A workload in a product's namespace that is not available now. */
    public record Workload(String id, Instant created) {
    }

    /** Reads the workloads of products; only asked about products that are otherwise healthy, or when a wave starts. */
    public interface Workloads {
        List<Workload> unavailable(Product product);
    }

    /** What the rollout settings say. */
    public record Settings(PlatformStandardSpec.Strategy strategy, List<PlatformStandardSpec.Wave> waves,
                           Duration progressDeadline, int maxFailures, boolean paused, ImpactPolicy impactPolicy) {
        public Settings(PlatformStandardSpec.Strategy strategy, List<PlatformStandardSpec.Wave> waves,
                        Duration progressDeadline, int maxFailures, boolean paused) {
            this(strategy, waves, progressDeadline, maxFailures, paused, ImpactPolicy.Halt);
        }

        public static Settings of(PlatformStandardSpec.Rollout rollout) {
            if (rollout == null) {
                return new Settings(PlatformStandardSpec.Strategy.Immediate, List.of(), Duration.ZERO, 0, false);
            }
            boolean waves = rollout.strategy() != PlatformStandardSpec.Strategy.Immediate
                    && rollout.waves() != null && !rollout.waves().isEmpty();
            return new Settings(waves ? PlatformStandardSpec.Strategy.Waves : PlatformStandardSpec.Strategy.Immediate,
                    rollout.waves() == null ? List.of() : rollout.waves(), Durations.parse(rollout.progressDeadline()),
                    rollout.maxFailures() == null ? 0 : rollout.maxFailures(), Boolean.TRUE.equals(rollout.paused()),
                    rollout.impactPolicy() == null ? ImpactPolicy.Halt : rollout.impactPolicy());
        }

        public boolean hasWaves() {
            return strategy == PlatformStandardSpec.Strategy.Waves;
        }
    }

    /** Something worth an Event and a metric. */
    public sealed interface Transition {
        record WaveStarted(String wave, int products) implements Transition {
        }

        record WaveDone(String wave, Duration took) implements Transition {
        }

        record Halted(String wave, List<ProductFailure> failures) implements Transition {
        }

        record Resumed(String wave, List<ProductFailure> failures) implements Transition {
        }

        record Completed(String revision, Duration took) implements Transition {
        }
    }

    public record Outcome(RolloutStatus status, List<Transition> transitions, Optional<Duration> recheckAfter) {
    }

    /** The name under which an Immediate rollout records the products its preview held back. */
    public static final String IMMEDIATE = "immediate";
    /** Products of a wave whose failure says what their preview found; the others say how many findings. */
    static final int DETAILED = 20;
    static final int DETAIL_CHARS = 500;

    private final String target;
    private final Settings settings;
    private final List<Product> fleet;
    private final Workloads workloads;
    private final Instant now;
    private final List<Transition> transitions = new ArrayList<>();
    private Instant recheck;

    private RolloutProgress(String target, Settings settings, List<Product> fleet, Workloads workloads, Instant now) {
        this.target = target;
        this.settings = settings;
        this.fleet = fleet;
        this.workloads = workloads;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @param target        the newest valid revision
     * @param previous      the rollout as the status last recorded it (of this target or an older one), or null
     * @param lastTarget    the target the status named before, for a status that predates rollouts; may be null
     * @param firstPrevious where products were before the first rollout (the built-in revision)
     * @param resume        whether a halted rollout was asked to go on
     */
    public static Outcome next(String target, RolloutStatus previous, String lastTarget, String firstPrevious,
                               Settings settings, List<Product> fleet, Workloads workloads, boolean resume, Instant now) {
        return new RolloutProgress(target, settings, fleet, workloads, now).step(previous, lastTarget, firstPrevious, resume);
    }

    private Outcome step(RolloutStatus previous, String lastTarget, String firstPrevious, boolean resume) {
        String previousTarget = previous == null ? lastTarget
                : Optional.ofNullable(previous.targetRevision()).orElse(lastTarget);
        RolloutStatus current = previous;
        if (previous == null || !target.equals(previousTarget) || previous.targetRevision() == null) {
            // A new revision supersedes whatever was in progress, from the first wave; where a rollback returns is the
            // last revision every product reached.
            String stable = previous == null ? Optional.ofNullable(lastTarget).orElse(firstPrevious)
                    : previous.phase() == RolloutPhase.Complete && previousTarget != null ? previousTarget
                    : Optional.ofNullable(previous.previousRevision()).orElse(firstPrevious);
            // (A rollback's target is that revision itself: it stays where a product new to the operator starts.)
            current = new RolloutStatus(RolloutPhase.Progressing, null, null, target, stable, now.toString(), List.of());
        }
        return settings.hasWaves() ? waves(current, previous, resume) : immediate(current, previous, resume);
    }

    private Outcome immediate(RolloutStatus current, RolloutStatus previous, boolean resume) {
        long updated = fleet.stream().filter(p -> p.on(target)).count();
        RolloutPhase phase = updated == fleet.size() ? RolloutPhase.Complete : settings.paused() ? RolloutPhase.Paused : RolloutPhase.Progressing;
        // The one entry an Immediate rollout keeps: the products its preview held back, and once resumed, accepted.
        Optional<WaveStatus> entry = Optional.ofNullable(current.waves()).orElse(List.of()).stream()
                .filter(w -> w.name().equals(IMMEDIATE)).findFirst();
        List<WaveStatus> kept = entry.map(List::of).orElse(null);
        if (current.phase() == RolloutPhase.Halted && !resume) {
            // Switching a halted rollout to Immediate does not push the revision that failed to everyone: resume does.
            // A product its preview holds back meanwhile is named too.
            List<WaveStatus> waves = current.waves();
            if (entry.isPresent() && entry.get().finishedAt() == null) {
                List<ProductFailure> recorded = Optional.ofNullable(entry.get().failures()).orElse(List.of());
                List<ProductFailure> all = new ArrayList<>(recorded);
                all.addAll(heldBack(fleet, recorded.stream().map(ProductFailure::product).collect(Collectors.toSet()), recorded.size()));
                waves = List.of(entry.get().toBuilder().failures(all).failed(all.size()).updated((int) updated).build());
            }
            return outcome(new RolloutStatus(RolloutPhase.Halted, current.wave(), updated + "/" + fleet.size(), target,
                    current.previousRevision(), current.startedAt(), waves));
        }
        if (current.phase() == RolloutPhase.Halted) {
            List<ProductFailure> accepted = Optional.ofNullable(current.waves()).orElse(List.of()).stream()
                    .filter(w -> w.name().equals(current.wave())).findFirst().map(WaveStatus::failures).orElse(List.of());
            transitions.add(new Transition.Resumed(current.wave(), accepted));
            kept = entry.map(e -> List.of(e.toBuilder().finishedAt(now.toString()).build())).orElse(null);
        } else if (!settings.paused()) {
            List<ProductFailure> held = heldBack(fleet, accepted(current), 0);
            if (!held.isEmpty()) {
                transitions.add(new Transition.Halted(IMMEDIATE, held));
                WaveStatus halted = WaveStatus.named(IMMEDIATE).products(fleet.size()).moving(fleet.size() - (int) updated)
                        .updated((int) updated).healthy(0).failed(held.size()).startedAt(now.toString()).failures(held).build();
                return outcome(new RolloutStatus(RolloutPhase.Halted, IMMEDIATE, updated + "/" + fleet.size(), target,
                        current.previousRevision(), current.startedAt(), List.of(halted)));
            }
        }
        boolean seenMoving = previous != null && target.equals(previous.targetRevision()) && previous.phase() != RolloutPhase.Complete;
        completedIfNew(phase, previous, current.startedAt(), seenMoving);
        return outcome(new RolloutStatus(phase, null, updated + "/" + fleet.size(), target, current.previousRevision(),
                current.startedAt(), kept));
    }

    /**
     * Under impactPolicy Halt, the products of these that are not on the target and whose preview of it has blocking
     * findings, unless accepted or already named: each a failure naming its findings. Every such product is named
     * (a resume accepts exactly the named ones), but only the first {@value #DETAILED} of a wave with their findings
     * (at most {@value #DETAIL_CHARS} characters): a change that blocks thousands of products must not grow the
     * standard's status past what etcd stores (1.5 MiB), and each product's own status.preview has its findings.
     *
     * @param skip    products accepted or already named
     * @param before  failures the wave names already, before these
     */
    private List<ProductFailure> heldBack(List<Product> products, Set<String> skip, int before) {
        if (settings.impactPolicy() != ImpactPolicy.Halt) {
            return List.of();
        }
        List<Product> held = products.stream().filter(p -> !p.on(target) && p.blocked() != null && !p.blocked().isEmpty()
                        && !skip.contains(p.name()))
                .sorted(Comparator.comparing(Product::name)).toList();
        List<ProductFailure> failures = new ArrayList<>();
        for (Product p : held) {
            String findings = before + failures.size() < DETAILED
                    ? abbreviate(String.join("; ", p.blocked()))
                    : p.blocked().size() + " blocking finding" + (p.blocked().size() == 1 ? "" : "s") + " (in its status.preview)";
            failures.add(new ProductFailure(p.name(), "held back by its preview of revision " + target + ": " + findings));
        }
        return failures;
    }

    private static String abbreviate(String findings) {
        return findings.length() <= DETAIL_CHARS ? findings : findings.substring(0, DETAIL_CHARS - 1) + "…";
    }

    /** The products whose findings a resume accepted: named among the failures of a wave that finished. */
    private static Set<String> accepted(RolloutStatus rollout) {
        return RevisionChoice.acceptedIn(rollout);
    }

    private Outcome waves(RolloutStatus current, RolloutStatus previous, boolean resume) {
        Map<String, WaveStatus> recorded = new HashMap<>();
        Optional.ofNullable(current.waves()).orElse(List.of()).forEach(w -> recorded.put(w.name(), w));
        boolean wasHalted = current.phase() == RolloutPhase.Halted;
        List<WaveStatus> waves = new ArrayList<>();
        RolloutPhase phase = RolloutPhase.Complete;
        String wave = null;
        for (int i = 0; i < settings.waves().size(); i++) {
            PlatformStandardSpec.Wave spec = settings.waves().get(i);
            int index = i;
            List<Product> members = fleet.stream().filter(p -> p.wave() == index).toList();
            WaveStatus status = recorded.get(spec.name());
            if (status == null) {
                if (settings.paused()) {
                    phase = RolloutPhase.Paused;
                    wave = spec.name();
                    break;
                }
                status = start(spec, members);
            }
            if (status.finishedAt() != null) {
                waves.add(counted(status, members, target, status.healthy(), Optional.ofNullable(status.failures()).orElse(List.of())));
                continue;
            }
            WaveStep step = evaluate(spec, status, members, wasHalted && spec.name().equals(current.wave()), resume);
            waves.add(step.status());
            if (step.status().finishedAt() == null) {
                phase = step.phase();
                wave = spec.name();
                break;
            }
        }
        if (phase == RolloutPhase.Complete) {
            completedIfNew(phase, previous, current.startedAt(), waves.stream().anyMatch(w -> w.moving() > 0));
        }
        long updated = fleet.stream().filter(p -> p.on(target)).count();
        return outcome(new RolloutStatus(phase, wave, updated + "/" + fleet.size(), target, current.previousRevision(),
                current.startedAt(), waves));
    }

    private record WaveStep(WaveStatus status, RolloutPhase phase) {
    }

    private WaveStatus start(PlatformStandardSpec.Wave spec, List<Product> members) {
        List<String> notReady = members.stream().filter(p -> !p.ready()).map(Product::name).sorted().toList();
        List<String> unavailable = members.stream().flatMap(p -> workloads.unavailable(p).stream()).map(Workload::id)
                .sorted().distinct().toList();
        int moving = (int) members.stream().filter(p -> !p.on(target)).count();
        if (moving > 0) {
            transitions.add(new Transition.WaveStarted(spec.name(), moving));
        }
        // A wave none of whose products moves has nothing to soak.
        return WaveStatus.named(spec.name()).products(members.size()).moving(moving).updated(0).healthy(0).failed(0)
                .startedAt(now.toString()).soakUntil(moving > 0 ? null : now.toString())
                .notReadyBefore(notReady.isEmpty() ? null : notReady)
                .unavailableBefore(unavailable.isEmpty() ? null : unavailable).build();
    }

    private WaveStep evaluate(PlatformStandardSpec.Wave spec, WaveStatus status, List<Product> members, boolean halted,
                              boolean resume) {
        Instant started = Instant.parse(status.startedAt());
        Set<String> excluded = new HashSet<>(Optional.ofNullable(status.notReadyBefore()).orElse(List.of()));
        Set<String> unavailableBefore = new HashSet<>(Optional.ofNullable(status.unavailableBefore()).orElse(List.of()));
        Map<String, String> problems = new LinkedHashMap<>();
        members.stream().filter(p -> !excluded.contains(p.name())).sorted(Comparator.comparing(Product::name))
                .forEach(p -> problem(p, started, unavailableBefore).ifPresent(why -> problems.put(p.name(), why)));
        Instant deadline = started.plus(settings.progressDeadline());
        boolean pastDeadline = !now.isBefore(deadline);
        int counted = (int) members.stream().filter(p -> !excluded.contains(p.name())).count();
        int healthy = counted - problems.size();
        List<ProductFailure> failures = pastDeadline
                ? problems.entrySet().stream().map(e -> new ProductFailure(e.getKey(), e.getValue())).toList()
                : List.of();
        if (halted) {
            List<ProductFailure> recorded = Optional.ofNullable(status.failures()).orElse(List.of());
            if (resume) {
                transitions.add(new Transition.Resumed(spec.name(), recorded));
                return new WaveStep(finish(spec, counted(status, members, target, healthy, recorded), started, false), RolloutPhase.Progressing);
            }
            // A halt holds until somebody decides: products recovering by themselves do not resume the rollout. A
            // product its preview holds back meanwhile (checked afresh as the wave started) is named too.
            Set<String> named = recorded.stream().map(ProductFailure::product).collect(Collectors.toSet());
            List<ProductFailure> all = new ArrayList<>(recorded);
            heldBack(members, named, recorded.size()).forEach(all::add);
            return new WaveStep(counted(status, members, target, healthy, all), RolloutPhase.Halted);
        }
        List<ProductFailure> held = heldBack(members, Set.of(), 0);
        if (!held.isEmpty()) {
            // Before any write to them: the products' controller does not move a product its preview holds back.
            transitions.add(new Transition.Halted(spec.name(), held));
            return new WaveStep(counted(withSoak(status, null), members, target, healthy, held), RolloutPhase.Halted);
        }
        if (failures.size() > settings.maxFailures()) {
            transitions.add(new Transition.Halted(spec.name(), failures));
            return new WaveStep(counted(withSoak(status, null), members, target, healthy, failures), RolloutPhase.Halted);
        }
        Set<String> failed = failures.stream().map(ProductFailure::product).collect(Collectors.toSet());
        boolean allHealthy = problems.keySet().stream().allMatch(failed::contains);
        if (!allHealthy) {
            if (!pastDeadline) {
                recheckAt(deadline);
            }
            return new WaveStep(counted(withSoak(status, null), members, target, healthy, failures), going());
        }
        String soakUntil = Optional.ofNullable(status.soakUntil())
                .orElse(now.plus(Durations.parse(spec.soak())).toString());
        WaveStatus soaking = counted(withSoak(status, soakUntil), members, target, healthy, failures);
        if (now.isBefore(Instant.parse(soakUntil))) {
            recheckAt(Instant.parse(soakUntil));
            return new WaveStep(soaking, going());
        }
        if (settings.paused()) {
            // Soaked, but a paused rollout starts no further wave.
            return new WaveStep(soaking, RolloutPhase.Paused);
        }
        return new WaveStep(finish(spec, soaking, started, true), RolloutPhase.Progressing);
    }

    private RolloutPhase going() {
        return settings.paused() ? RolloutPhase.Paused : RolloutPhase.Progressing;
    }

    private WaveStatus finish(PlatformStandardSpec.Wave spec, WaveStatus status, Instant started, boolean soaked) {
        if (soaked && status.moving() > 0) {
            transitions.add(new Transition.WaveDone(spec.name(), Duration.between(started, now)));
        }
        return status.toBuilder().finishedAt(now.toString()).build();
    }

    /** Why the product is not healthy on the target, if it is not. */
    private Optional<String> problem(Product product, Instant started, Set<String> unavailableBefore) {
        if (!product.on(target)) {
            return Optional.of("not on revision " + target + " (on " + Optional.ofNullable(product.revision()).orElse("none")
                    + ")" + (product.ready() ? "" : ": " + product.readyMessage()));
        }
        if (!product.ready()) {
            return Optional.of("not Ready: " + product.readyMessage());
        }
        if (!product.inSync()) {
            return Optional.of("not in sync with revision " + target);
        }
        // Timestamps are whole seconds: a workload created in the second the wave started may be new, and a new
        // workload is not available yet; counting it as lost would halt a healthy rollout, so it is not counted.
        List<String> lost = workloads.unavailable(product).stream()
                .filter(w -> w.created().isBefore(started) && !unavailableBefore.contains(w.id()))
                .map(Workload::id).sorted().toList();
        return lost.isEmpty() ? Optional.empty()
                : Optional.of("lost availability after the change: " + String.join(", ", lost));
    }

    /** The wave's counts now: healthy are the products counted (not excluded) with no problem. */
    private static WaveStatus counted(WaveStatus status, List<Product> members, String target, int healthy,
                                      List<ProductFailure> failures) {
        int updated = (int) members.stream().filter(p -> p.on(target)).count();
        return status.toBuilder().products(members.size()).updated(updated).healthy(healthy).failed(failures.size())
                .failures(failures.isEmpty() ? null : failures).build();
    }

    private static WaveStatus withSoak(WaveStatus status, String soakUntil) {
        return status.toBuilder().soakUntil(soakUntil).build();
    }

    /** Completion is told once, and only for a rollout that moved products: creating the standard moves none. */
    private void completedIfNew(RolloutPhase phase, RolloutStatus previous, String startedAt, boolean movedAny) {
        boolean wasComplete = previous != null && previous.phase() == RolloutPhase.Complete && target.equals(previous.targetRevision());
        if (phase == RolloutPhase.Complete && !wasComplete && movedAny) {
            transitions.add(new Transition.Completed(target, Duration.between(Instant.parse(startedAt), now)));
        }
    }

    private void recheckAt(Instant when) {
        if (recheck == null || when.isBefore(recheck)) {
            recheck = when;
        }
    }

    private Outcome outcome(RolloutStatus status) {
        Optional<Duration> after = Optional.ofNullable(recheck).map(r -> Duration.between(now, r).plusMillis(200))
                .filter(Predicate.not(Duration::isNegative));
        return new Outcome(status, List.copyOf(transitions), after);
    }
}
