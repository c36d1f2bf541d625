package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.RevisionStore;
import dev.groundwork.standard.StandardLoader;
import dev.groundwork.standard.StandardValidator;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The standard's controller: validates the PlatformStandard, stores each valid revision as a ControllerRevision
 * (the products' controller then moves products to it, see RevisionChoice), prunes old revisions no product uses,
 * and summarises the fleet in the standard's status. Writes nothing when nothing changed.
 */
@ControllerConfiguration(name = PlatformStandardReconciler.NAME, fieldManager = ClusterWriter.FIELD_MANAGER)
public class PlatformStandardReconciler implements Reconciler<PlatformStandard> {
    public static final String NAME = "groundwork-standard";
    private static final Logger LOG = Logger.getLogger(PlatformStandardReconciler.class);
    private static final ResourceID THE_STANDARD = new ResourceID(PlatformStandard.NAME);

    private final OperatorSettings settings;
    private final LoadedStandard builtIn;
    private InformerEventSource<ProductPlatform, PlatformStandard> products;
    private InformerEventSource<ControllerRevision, PlatformStandard> revisions;
    private RevisionStore store;

    /** @param builtIn the standard in force while no revision of the PlatformStandard was ever valid */
    @Inject
    public PlatformStandardReconciler(OperatorSettings settings, LoadedStandard builtIn) {
        this.settings = settings;
        this.builtIn = builtIn;
    }

    @Override
    public List<EventSource<?, PlatformStandard>> prepareEventSources(EventSourceContext<PlatformStandard> context) {
        store = new RevisionStore(context.getClient(), settings.revisionNamespace());
        // Every product's status feeds the standard's summary.
        products = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProductPlatform.class, PlatformStandard.class)
                .withName("standard-products")
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
        PlatformStandardStatus previous = standard.getStatus();
        String target = previous == null ? null : previous.revision();
        List<ControllerRevision> stored = revisions.list().toList();
        Optional<LoadedStandard> candidate = Optional.empty();
        List<String> problems = new ArrayList<>();
        try {
            candidate = Optional.of(StandardLoader.fromSpec(standard.getSpec()));
            problems.addAll(StandardValidator.problems(candidate.get().standard()));
            problems.addAll(ClusterChecks.problems(candidate.get().standard(), inForce(target, stored).standard(), fleet,
                    context.getClient()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (problems.isEmpty()) {
            store.store(candidate.get(), stored);
            target = candidate.get().revision();
        }
        Set<String> inUse = new HashSet<>();
        fleet.stream().map(p -> p.getStatus() == null ? null : p.getStatus().standardRevision()).filter(Objects::nonNull)
                .forEach(inUse::add);
        if (target != null) {
            inUse.add(target);
        }
        store.prune(stored, inUse);

        PlatformStandardStatus status = StandardStatus.of(standard, target, problems, fleet, stored);
        if (Objects.equals(status, previous)) {
            return UpdateControl.noUpdate();
        }
        if (!problems.isEmpty()) {
            LOG.warnf("the standard is invalid and not used: %s", String.join("; ", problems));
        }
        standard.setStatus(status);
        return UpdateControl.patchStatus(standard);
    }

    /** The standard products are on now: the target revision as stored, or the built-in one. */
    private LoadedStandard inForce(String target, List<ControllerRevision> stored) {
        return stored.stream().filter(r -> r.getMetadata().getName().equals(RevisionStore.name(String.valueOf(target))))
                .findFirst().flatMap(RevisionStore::read).orElse(builtIn);
    }
}
