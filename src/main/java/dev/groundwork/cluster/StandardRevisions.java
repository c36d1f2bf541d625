package dev.groundwork.cluster;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformSpec;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.RevisionChoice;
import dev.groundwork.standard.RevisionStore;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The standard each product is reconciled against: a stored revision (a ControllerRevision written by the standard's
 * controller) or, with no PlatformStandard, the built-in one. Which revision is {@link RevisionChoice}'s decision.
 * Resolver and planner are built once per revision; a revision's entry goes when its ControllerRevision does.
 */
public final class StandardRevisions {
    /** A revision and what reconciles against it. */
    public record InForce(LoadedStandard loaded, boolean builtIn, ProductResolver resolver, BaselinePlanner planner) {
        public String revision() {
            return loaded.revision();
        }
    }

    private static final String THE_STANDARD = PlatformStandard.NAME;

    private final InForce builtIn;
    private final OperatorSettings settings;
    private final Map<String, InForce> byRevision = new ConcurrentHashMap<>();
    private InformerEventSource<PlatformStandard, ProductPlatform> standards;
    private InformerEventSource<ControllerRevision, ProductPlatform> revisions;

    public StandardRevisions(LoadedStandard builtIn, OperatorSettings settings) {
        this.settings = settings;
        this.builtIn = tools(builtIn, true);
    }

    /** A new target revision, rollout setting or released wave, or a newly stored revision, concerns every product. */
    public List<EventSource<?, ProductPlatform>> eventSources(EventSourceContext<ProductPlatform> context) {
        standards = new InformerEventSource<>(InformerEventSourceConfiguration.from(PlatformStandard.class, ProductPlatform.class)
                .withName("platform-standard")
                .withSecondaryToPrimaryMapper(s -> ProductEvents.everyProduct(context))
                .withOnUpdateFilter((now, before) -> !Objects.equals(RevisionChoice.inputs(now), RevisionChoice.inputs(before)))
                .build(), context);
        revisions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ControllerRevision.class, ProductPlatform.class)
                .withName("platform-standard-revisions")
                .withNamespaces(Set.of(settings.revisionNamespace()))
                .withLabelSelector(RevisionStore.SELECTOR)
                .withSecondaryToPrimaryMapper(r -> ProductEvents.everyProduct(context))
                .withOnUpdateFilter((now, before) -> false)
                .build(), context);
        return List.of(standards, revisions);
    }

    public InForce forProduct(ProductPlatform product) {
        Optional<String> current = Optional.ofNullable(product.getStatus()).map(s -> s.standardRevision());
        Optional<PlatformStandard> standard = standards.get(new ResourceID(THE_STANDARD));
        if (standard.isEmpty()) {
            // The built-in standard, even when a PlatformStandard of the same content once stored its revision.
            return builtIn;
        }
        Map<String, String> labels = Optional.ofNullable(product.getMetadata().getLabels()).orElse(Map.of());
        Tier tier = Optional.ofNullable(product.getSpec()).map(ProductPlatformSpec::tier).orElse(Tier.standard);
        String revision = RevisionChoice.revisionFor(standard, labels, tier, current, this::stored, builtIn.revision());
        return inForce(revision);
    }

    /**
     * The revision products are moving to: the PlatformStandard's newest valid revision, once stored. Empty with no
     * PlatformStandard (the built-in standard has nothing to preview) or before its first valid revision.
     */
    public Optional<InForce> target() {
        Optional<PlatformStandard> standard = standards.get(new ResourceID(THE_STANDARD));
        return standard.map(PlatformStandard::getStatus).map(PlatformStandardStatus::revision).filter(this::stored)
                .map(this::inForce);
    }

    /** A stored revision and what reconciles against it; empty when it is not stored (any more). */
    public Optional<InForce> revision(String revision) {
        return stored(revision) ? Optional.of(revision.equals(builtIn.revision()) ? builtIn : inForce(revision)) : Optional.empty();
    }

    /** The PlatformStandard as the informer has it. */
    public Optional<PlatformStandard> standard() {
        return standards.get(new ResourceID(THE_STANDARD));
    }

    private boolean stored(String revision) {
        return revision.equals(builtIn.revision()) || revisions.get(new ResourceID(RevisionStore.name(revision),
                settings.revisionNamespace())).isPresent();
    }

    private InForce inForce(String revision) {
        Optional<ControllerRevision> stored = revisions.get(new ResourceID(RevisionStore.name(revision), settings.revisionNamespace()));
        if (stored.isEmpty()) {
            return builtIn;
        }
        InForce known = byRevision.get(revision);
        if (known != null) {
            return known;
        }
        // A revision new to this operator: the moment to drop those whose ControllerRevision was pruned, rather than
        // listing the revisions on every reconcile.
        forgetRemoved();
        return byRevision.computeIfAbsent(revision, r -> RevisionStore.read(stored.get()).map(l -> tools(l, false))
                .orElseThrow(() -> new IllegalStateException("ControllerRevision " + RevisionStore.name(r) + " holds no standard")));
    }

    private void forgetRemoved() {
        Set<String> present = revisions.list().map(r -> r.getMetadata().getLabels().get(RevisionStore.REVISION_LABEL))
                .collect(Collectors.toCollection(HashSet::new));
        byRevision.keySet().retainAll(present);
    }

    private InForce tools(LoadedStandard loaded, boolean isBuiltIn) {
        Set<String> protectedNamespaces = new HashSet<>(loaded.standard().protectedNamespaces());
        settings.operatorNamespace().ifPresent(protectedNamespaces::add);
        return new InForce(loaded, isBuiltIn, new ProductResolver(loaded.standard(), protectedNamespaces),
                new BaselinePlanner(loaded.standard()));
    }
}
