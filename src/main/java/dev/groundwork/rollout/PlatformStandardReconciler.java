package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.cluster.ManagedCache;
import dev.groundwork.cluster.OperatorSettings;
import dev.groundwork.kube.Events;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.RevisionStore;
import dev.groundwork.standard.RolloutProgress;
import dev.groundwork.standard.StandardLoader;
import dev.groundwork.standard.StandardValidator;
import dev.groundwork.standard.Waves;
import dev.groundwork.status.ProductHealth;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The standard's controller: validates the PlatformStandard, stores each valid revision as a ControllerRevision,
 * rolls it out (releases wave after wave in the standard's status, which the products' controller follows, see
 * RevisionChoice), carries out the rollout commands, prunes old revisions no product uses, and summarises the fleet in
 * the standard's status. Writes nothing when nothing changed. Annotations are commands, so every change of the
 * standard is reconciled, not only those of its spec.
 */
@ControllerConfiguration(name = PlatformStandardReconciler.NAME, fieldManager = ClusterWriter.FIELD_MANAGER,
        generationAwareEventProcessing = false)
public class PlatformStandardReconciler implements Reconciler<PlatformStandard> {
    public static final String NAME = "groundwork-standard";
    private static final Logger LOG = Logger.getLogger(PlatformStandardReconciler.class);
    private static final ResourceID THE_STANDARD = new ResourceID(PlatformStandard.NAME);

    /** The revision products should be on, and why not a newer one. */
    private record Verdict(Optional<String> target, List<String> problems) {
    }

    private final OperatorSettings settings;
    private final LoadedStandard builtIn;
    private final MeterRegistry registry;
    private InformerEventSource<ProductPlatform, PlatformStandard> products;
    private InformerEventSource<ControllerRevision, PlatformStandard> revisions;
    private RevisionStore store;
    private WorkloadAvailability workloads;
    private RolloutRecorder recorder;

    /** @param builtIn the standard in force while no revision of the PlatformStandard was ever valid */
    @Inject
    public PlatformStandardReconciler(OperatorSettings settings, LoadedStandard builtIn, MeterRegistry registry) {
        this.settings = settings;
        this.builtIn = builtIn;
        this.registry = registry;
    }

    @Override
    public List<EventSource<?, PlatformStandard>> prepareEventSources(EventSourceContext<PlatformStandard> context) {
        KubernetesClient client = context.getClient();
        store = new RevisionStore(client, settings.revisionNamespace());
        workloads = new WorkloadAvailability(client, settings.workloadCheck(), Clock.systemUTC());
        recorder = new RolloutRecorder(new Events(client), registry);
        // Every product's status feeds the rollout and the standard's summary; the cache keeps only what they read.
        products = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProductPlatform.class, PlatformStandard.class)
                .withName("standard-products")
                .withItemStore(new FleetSummaryStore())
                .withInformerListLimit(ManagedCache.LIST_PAGE)
                .withSecondaryToPrimaryMapper(p -> Set.of(THE_STANDARD))
                .build(), context);
        revisions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ControllerRevision.class, PlatformStandard.class)
                .withName("standard-revisions")
                .withNamespaces(Set.of(settings.revisionNamespace()))
                .withLabelSelector(RevisionStore.SELECTOR)
                .withSecondaryToPrimaryMapper(r -> Set.of(THE_STANDARD))
                .build(), context);
        return List.of(products, revisions);
    }

    @Override
    public UpdateControl<PlatformStandard> reconcile(PlatformStandard standard, Context<PlatformStandard> context) {
        List<ProductPlatform> fleet = products.list().toList();
        List<ControllerRevision> stored = revisions.list().toList();
        Verdict verdict = validateAndStore(standard, fleet, stored, context.getClient());
        Optional<String> command = RolloutCommands.requested(standard);
        if (command.isPresent() && carryOut(command.get(), standard, stored, context.getClient())) {
            return UpdateControl.noUpdate();
        }
        boolean resume = command.filter(RolloutCommands.RESUME::equals).isPresent();
        Optional<RolloutProgress.Outcome> rollout = verdict.target().map(t -> rollOut(standard, t, fleet, resume));
        store.prune(stored, inUse(fleet, verdict.target(), rollout));
        rollout.ifPresent(o -> recorder.record(standard, o));

        PlatformStandardStatus status = StandardStatus.of(standard, verdict.target().orElse(null), verdict.problems(), fleet,
                stored, rollout.map(RolloutProgress.Outcome::status));
        recorder.preview(standard, Optional.ofNullable(standard.getStatus()).map(PlatformStandardStatus::preview).orElse(null),
                status.preview());
        UpdateControl<PlatformStandard> control = UpdateControl.noUpdate();
        if (!Objects.equals(status, standard.getStatus())) {
            standard.setStatus(status);
            // The status is this controller's alone, applied without the read's resourceVersion: carrying out a
            // command changed the object since, and a conflict would lose the command's effect (a resume).
            standard.getMetadata().setResourceVersion(null);
            control = UpdateControl.patchStatus(standard);
        }
        Optional<Duration> recheck = rollout.flatMap(RolloutProgress.Outcome::recheckAfter);
        return recheck.isPresent() ? control.rescheduleAfter(recheck.get()) : control;
    }

    /** Stores the spec as a revision if it is valid; the target is the newest valid revision either way. */
    private Verdict validateAndStore(PlatformStandard standard, List<ProductPlatform> fleet, List<ControllerRevision> stored,
                                     KubernetesClient client) {
        String target = standard.getStatus() == null ? null : standard.getStatus().revision();
        List<String> problems = new ArrayList<>();
        try {
            LoadedStandard candidate = StandardLoader.fromSpec(standard.getSpec());
            problems.addAll(StandardValidator.problems(candidate.standard()));
            problems.addAll(ClusterChecks.problems(candidate.standard(), inForce(target, stored).standard(), fleet, client));
            if (problems.isEmpty()) {
                store.store(candidate, stored);
                target = candidate.revision();
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            LOG.warnf("the standard is invalid and not used: %s", String.join("; ", problems));
        }
        return new Verdict(Optional.ofNullable(target), problems);
    }

    private RolloutProgress.Outcome rollOut(PlatformStandard standard, String target, List<ProductPlatform> fleet,
                                            boolean resume) {
        RolloutProgress.Settings rollout = RolloutProgress.Settings.of(standard.getSpec().rollout());
        List<RolloutProgress.Product> facts = fleet.stream().map(p -> facts(p, rollout, target)).toList();
        PlatformStandardStatus previous = standard.getStatus();
        RolloutProgress.Outcome outcome = RolloutProgress.next(target, previous == null ? null : previous.rollout(),
                previous == null ? null : previous.revision(), builtIn.revision(), rollout, facts, workloads, resume,
                Clock.systemUTC().instant());
        String wave = outcome.status().wave();
        workloads.keepOnly(wave == null ? Set.of() : facts.stream()
                .filter(p -> rollout.waves().get(p.wave()).name().equals(wave))
                .map(RolloutProgress.Product::name).collect(Collectors.toSet()));
        return outcome;
    }

    private static RolloutProgress.Product facts(ProductPlatform product, RolloutProgress.Settings rollout, String target) {
        Tier tier = Optional.ofNullable(product.getSpec()).map(s -> s.tier()).orElse(Tier.standard);
        Map<String, String> labels = Optional.ofNullable(product.getMetadata().getLabels()).orElse(Map.of());
        int wave = rollout.hasWaves() ? Waves.indexOf(rollout.waves(), labels, tier) : 0;
        ProductHealth health = ProductHealth.of(product.getStatus());
        List<String> namespaces = Optional.ofNullable(product.getStatus()).map(s -> s.namespaces()).orElse(List.of()).stream()
                .map(n -> n.name()).toList();
        // The blocking findings of its preview of the target, while it is not there: under impactPolicy Halt they halt
        // its wave (the products' controller does not move it).
        List<String> blocked = Optional.ofNullable(product.getStatus()).map(ProductPlatformStatus::preview)
                .filter(p -> target.equals(p.revision()) && !target.equals(health.revision()))
                .map(p -> p.blockingFindings().stream().map(f -> f.subject() + ": " + f.message()).toList())
                .orElse(List.of());
        return new RolloutProgress.Product(product.getMetadata().getName(), wave, health.revision(), health.ready(),
                health.inSync(), health.message(), namespaces, blocked);
    }

    /**
     * Removes the command and says when it does nothing; a resume then takes effect in this reconcile's rollout step.
     *
     * @return whether the reconcile ends here: a rollback changed the spec, whose change starts the next one
     */
    private boolean carryOut(String command, PlatformStandard standard, List<ControllerRevision> stored, KubernetesClient client) {
        if (RolloutCommands.ROLLBACK.equals(command)) {
            rollBack(standard, stored, client);
            return true;
        }
        RolloutCommands.clear(client, standard);
        RolloutPhase phase = Optional.ofNullable(standard.getStatus()).map(PlatformStandardStatus::rollout)
                .map(PlatformStandardStatus.RolloutStatus::phase).orElse(RolloutPhase.Complete);
        if (!RolloutCommands.RESUME.equals(command)) {
            recorder.refused(standard, RolloutRecorder.COMMAND_IGNORED, "Unknown rollout command " + RolloutCommands.ANNOTATION
                    + "=" + command + ": use " + RolloutCommands.RESUME + " or " + RolloutCommands.ROLLBACK + ".");
        } else if (phase != RolloutPhase.Halted) {
            recorder.refused(standard, RolloutRecorder.COMMAND_IGNORED, "Nothing to resume: the rollout is " + phase
                    + (phase == RolloutPhase.Paused ? " (spec.rollout.paused: set it to false)." : "."));
        }
        return false;
    }

    /** Puts the last revision every product reached back into the spec; the spec's change starts its rollout. */
    private void rollBack(PlatformStandard standard, List<ControllerRevision> stored, KubernetesClient client) {
        Optional<PlatformStandardStatus.RolloutStatus> rollout = Optional.ofNullable(standard.getStatus())
                .map(PlatformStandardStatus::rollout);
        Optional<String> to = rollout.map(PlatformStandardStatus.RolloutStatus::previousRevision);
        String from = standard.getStatus() == null ? null : standard.getStatus().revision();
        Optional<LoadedStandard> content = to.filter(r -> !r.equals(from)).flatMap(r -> r.equals(builtIn.revision())
                ? Optional.of(builtIn)
                : stored.stream().filter(c -> c.getMetadata().getName().equals(RevisionStore.name(r))).findFirst()
                .flatMap(RevisionStore::read));
        if (content.isEmpty()) {
            recorder.refused(standard, RolloutRecorder.COMMAND_IGNORED, "Nothing to roll back to: "
                    + to.map(r -> "revision " + r + " is " + (r.equals(from) ? "the one in force" : "no longer stored"))
                    .orElse("no earlier revision reached every product") + ".");
            RolloutCommands.clear(client, standard);
            return;
        }
        RolloutCommands.rollBack(client, standard, content.get());
        recorder.rolledBack(standard, from, to.get());
    }

    /** Revisions that must stay stored: those products are on, the target and where a rollback would return. */
    private static Set<String> inUse(List<ProductPlatform> fleet, Optional<String> target,
                                     Optional<RolloutProgress.Outcome> rollout) {
        Set<String> inUse = new HashSet<>();
        fleet.stream().map(p -> p.getStatus() == null ? null : p.getStatus().standardRevision()).filter(Objects::nonNull)
                .forEach(inUse::add);
        target.ifPresent(inUse::add);
        rollout.map(o -> o.status().previousRevision()).ifPresent(inUse::add);
        return inUse;
    }

    /** The standard products are on now: the target revision as stored, or the built-in one. */
    private LoadedStandard inForce(String target, List<ControllerRevision> stored) {
        return stored.stream().filter(r -> r.getMetadata().getName().equals(RevisionStore.name(String.valueOf(target))))
                .findFirst().flatMap(RevisionStore::read).orElse(builtIn);
    }
}
