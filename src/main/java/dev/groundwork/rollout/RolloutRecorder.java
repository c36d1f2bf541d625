package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure;
import dev.groundwork.api.v1alpha1.PreviewSummary;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.kube.Events;
import dev.groundwork.standard.RolloutProgress.Transition;
import dev.groundwork.standard.RolloutProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * What a rollout does, told to people and to monitoring: an Event on the PlatformStandard and a log line for each
 * wave started and done, a halt, a resume, a rollback and completion; metrics of the rollout's phase (one series per
 * phase, 1 for the current one), wave durations and halts.
 */
final class RolloutRecorder {
    static final String WAVE_STARTED = "WaveStarted";
    static final String WAVE_DONE = "WaveDone";
    static final String HALTED = "RolloutHalted";
    static final String RESUMED = "RolloutResumed";
    static final String ROLLED_BACK = "RolledBack";
    static final String COMPLETE = "RolloutComplete";
    static final String COMMAND_IGNORED = "RolloutCommandIgnored";
    static final String PREVIEW = "PreviewChanged";
    /** The finding kinds a preview reports, each a gauge of the products with one. */
    private static final List<List<String>> FINDING_KINDS = List.of(List.of("podSecurity", "Blocking"),
            List.of("storage", "Blocking"), List.of("network", "Warning"), List.of("access", "Warning"));
    private static final Logger LOG = Logger.getLogger(RolloutRecorder.class);

    private final Events events;
    private final MeterRegistry registry;
    private final AtomicReference<RolloutPhase> phase = new AtomicReference<>(RolloutPhase.Complete);
    private final AtomicReference<PreviewSummary> preview = new AtomicReference<>();

    RolloutRecorder(Events events, MeterRegistry registry) {
        this.events = events;
        this.registry = registry;
        for (RolloutPhase each : RolloutPhase.values()) {
            Gauge.builder("groundwork.rollout.phase", phase, p -> p.get() == each ? 1 : 0)
                    .description("The phase of the standard's rollout: 1 for the current phase, 0 for the others")
                    .tag("phase", each.name()).register(registry);
        }
        Gauge.builder("groundwork.preview.products", preview, p -> count(p.get(), PreviewSummary::changing))
                .description("Products whose baseline the target revision would change, by state")
                .tag("state", "changing").register(registry);
        Gauge.builder("groundwork.preview.products", preview, p -> count(p.get(), PreviewSummary::blocked))
                .description("Products whose preview of the target revision has a blocking finding").tag("state", "blocked").register(registry);
        for (List<String> kind : FINDING_KINDS) {
            Gauge.builder("groundwork.preview.findings.products", preview, p -> products(p.get(), kind.get(0), kind.get(1)))
                    .description("Products whose preview of the target revision has findings of this area and severity")
                    .tag("area", kind.get(0)).tag("severity", kind.get(1)).register(registry);
        }
    }

    /**
     * The standard's preview summary, for metrics, and an Event when what it says changed (the one line, or the
     * products blocked): Warning while products are blocked, Normal otherwise.
     */
    void preview(PlatformStandard standard, PreviewSummary before, PreviewSummary now) {
        preview.set(now);
        if (now == null || (before != null && Objects.equals(before.summary(), now.summary())
                && Objects.equals(before.revision(), now.revision())
                && Objects.equals(before.blockedProducts(), now.blockedProducts()))) {
            return;
        }
        String blocked = now.blockedProducts() == null ? "" : " Blocked: " + now.blockedProducts().stream()
                .map(b -> b.product() + " (" + String.join("; ", b.findings()) + ")").collect(Collectors.joining(", ")) + ".";
        tell(standard, now.blocked() != null && now.blocked() > 0 ? Events.WARNING : Events.NORMAL, PREVIEW,
                "Preview of revision " + now.revision() + ": " + now.summary() + "." + blocked);
    }

    private static double count(PreviewSummary summary, java.util.function.Function<PreviewSummary, Integer> field) {
        return summary == null || field.apply(summary) == null ? 0 : field.apply(summary);
    }

    private static double products(PreviewSummary summary, String area, String severity) {
        return summary == null || summary.byArea() == null ? 0 : summary.byArea().stream()
                .filter(a -> a.area().equals(area) && a.severity().name().equals(severity))
                .mapToInt(PreviewSummary.AreaCount::products).sum();
    }

    void record(PlatformStandard standard, RolloutProgress.Outcome outcome) {
        phase.set(outcome.status().phase());
        String target = outcome.status().targetRevision();
        for (Transition transition : outcome.transitions()) {
            if (transition instanceof Transition.WaveStarted s) {
                tell(standard, Events.NORMAL, WAVE_STARTED, "Wave " + s.wave() + " started: " + s.products()
                        + " products move to revision " + target + ".");
            } else if (transition instanceof Transition.WaveDone d) {
                Timer.builder("groundwork.rollout.wave.duration").description("Time from a wave's start to the end of its soak")
                        .tag("wave", d.wave()).register(registry).record(d.took());
                tell(standard, Events.NORMAL, WAVE_DONE, "Wave " + d.wave() + " is healthy on revision " + target
                        + " and soaked; it took " + d.took().toSeconds() + "s.");
            } else if (transition instanceof Transition.Halted h) {
                Counter.builder("groundwork.rollout.halts").description("Rollouts halted by a wave's failed products")
                        .tag("wave", h.wave()).register(registry).increment();
                tell(standard, Events.WARNING, HALTED, "Rollout of revision " + target + " halted in wave " + h.wave()
                        + ": " + failures(h.failures()) + ". Later waves keep their revision.");
            } else if (transition instanceof Transition.Resumed r) {
                tell(standard, Events.NORMAL, RESUMED, "Rollout of revision " + target + " resumed past wave " + r.wave()
                        + (r.failures().isEmpty() ? "." : ", accepting " + failures(r.failures()) + "."));
            } else if (transition instanceof Transition.Completed c) {
                tell(standard, Events.NORMAL, COMPLETE, "Every product is on revision " + c.revision()
                        + "; the rollout took " + c.took().toSeconds() + "s.");
            }
        }
    }

    void rolledBack(PlatformStandard standard, String from, String to) {
        tell(standard, Events.NORMAL, ROLLED_BACK, "Rolled back from revision " + from + " to the content of revision " + to
                + "; only the products that left " + to + " return to it.");
    }

    void refused(PlatformStandard standard, String reason, String message) {
        tell(standard, Events.WARNING, reason, message);
    }

    /**
     * The failed products for a message: the first {@value #NAMED_IN_MESSAGES} with why, then how many more. The
     * standard's status.rollout names them all; a message naming thousands would only grow the condition.
     */
    static String failures(List<ProductFailure> failures) {
        String named = failures.stream().limit(NAMED_IN_MESSAGES).map(f -> f.product() + " (" + f.reason() + ")")
                .collect(Collectors.joining(", "));
        int more = failures.size() - NAMED_IN_MESSAGES;
        return more <= 0 ? named : named + " and " + more + " more product" + (more == 1 ? "" : "s")
                + " (status.rollout.waves names them all)";
    }

    static final int NAMED_IN_MESSAGES = 10;

    private void tell(PlatformStandard standard, String type, String reason, String message) {
        if (Events.WARNING.equals(type)) {
            LOG.warnf("%s: %s", reason, message);
        } else {
            LOG.infof("%s: %s", reason, message);
        }
        events.emit(standard, type, reason, message);
    }
}
