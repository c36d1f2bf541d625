package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.LoggingBaseline;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.cluster.ManagedCache;
import dev.groundwork.cluster.OperatorSettings;
import dev.groundwork.cluster.OptionalApis;
import dev.groundwork.cluster.ProductEvents;
import dev.groundwork.cluster.ProductItemStore;
import dev.groundwork.cluster.StandardRevisions;
import dev.groundwork.drift.DriftEvents;
import dev.groundwork.drift.DriftMetrics;
import dev.groundwork.drift.DriftRecorder;
import dev.groundwork.drift.FleetMemory;
import dev.groundwork.drift.ProductMemory;
import dev.groundwork.drift.RepairBackoff;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.status.ProductHealth;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The controller: resolves a product against the standard, plans its baseline, brings the cluster to it and
 * reports the outcome in status. Writes nothing, status included, when nothing changed.
 */
@ControllerConfiguration(name = ProductPlatformReconciler.NAME, fieldManager = ClusterWriter.FIELD_MANAGER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES),
        informer = @Informer(itemStore = ProductItemStore.class, informerListLimit = ManagedCache.LIST_PAGE))
public class ProductPlatformReconciler implements Reconciler<ProductPlatform>, Cleaner<ProductPlatform> {
    public static final String NAME = "groundwork";
    private static final Logger LOG = Logger.getLogger(ProductPlatformReconciler.class);

    private final OperatorSettings settings;
    private final StandardRevisions standards;
    private final FleetMemory fleet = new FleetMemory();
    private final DriftMetrics metrics;

    private ManagedCache cache;
    private InformerEventSource<StorageClass, ProductPlatform> storageClasses;
    private OptionalApis optionalApis;
    private OpenReports reports;
    private ProductSync sync;
    private DeletionPolicyHandler deletion;
    private PeerDirectory peers;
    private DriftRecorder drift;
    private ProductPreviews previews;

    /** @param builtIn the standard that applies while the cluster has no PlatformStandard */
    @Inject
    public ProductPlatformReconciler(LoadedStandard builtIn, OperatorSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.standards = new StandardRevisions(builtIn, settings);
        this.metrics = new DriftMetrics(registry, fleet);
    }

    @Override
    public List<EventSource<?, ProductPlatform>> prepareEventSources(EventSourceContext<ProductPlatform> context) {
        ClusterWriter writer = new ClusterWriter(context.getClient());
        // Optional APIs (kube-logging Flow, OpenReports) are watched while the operator runs; a reconcile registers
        // their informers once they are installed.
        optionalApis = new OptionalApis(context.getClient(), List.of(LoggingBaseline.FLOW_CRD, OpenReports.CRD),
                () -> ProductEvents.everyProduct(context));
        reports = new OpenReports(context.getClient());
        cache = new ManagedCache(context, product -> peers.declaring(product));
        peers = new PeerDirectory(context.getPrimaryCache(), cache, p -> standards.forProduct(p).resolver().environments(p));
        sync = new ProductSync(cache, writer, new NamespaceClaims(name -> context.getClient().namespaces().withName(name).get()), RepairBackoff.repairs(),
                RepairBackoff.failedApplies());
        drift = new DriftRecorder(new DriftEvents(context.getClient()), metrics);
        deletion = new DeletionPolicyHandler(cache, writer);
        previews = new ProductPreviews(context.getClient(), cache, settings.previewRecheck(), Clock.systemUTC());
        // A StorageClass appearing or going changes every product's quota.
        storageClasses = new InformerEventSource<>(InformerEventSourceConfiguration.from(StorageClass.class, ProductPlatform.class)
                .withName("storageclasses")
                .withSecondaryToPrimaryMapper(sc -> ProductEvents.everyProduct(context))
                .build(), context);
        List<EventSource<?, ProductPlatform>> sources = new ArrayList<>(cache.eventSources());
        sources.add(storageClasses);
        sources.add(optionalApis);
        sources.addAll(standards.eventSources(context));
        return sources;
    }

    @Override
    public UpdateControl<ProductPlatform> reconcile(ProductPlatform product, Context<ProductPlatform> context) {
        ProductMemory memory = fleet.of(product.getMetadata().getName());
        followOptionalApis(context);
        ProductPreviews.Gate gate = previews.gate(product, standards.forProduct(product), standards, this::clusterFacts,
                this::liveNamespaceAnnotations);
        StandardRevisions.InForce standard = gate.standard();
        ResolvedProduct resolved = standard.resolver().resolve(product);
        ClusterFacts facts = clusterFacts(resolved);
        Baseline baseline = standard.planner().plan(resolved, facts, this::liveNamespaceAnnotations);
        ProductSync.Result result = sync.sync(baseline, memory);
        Released released = releaseRemovedEnvironments(product, resolved, memory);
        DriftStatus history = drift.record(product, memory, result.drifts(), result.applied(), baseline.keys());
        StatusAggregator.Reported reported = StatusAggregator.reconciled(product, new StatusAggregator.Facts(resolved, facts,
                standard.loaded().standard().logging().flowEnabled(), standard.revision(), standard.builtIn(), result,
                released.namespaces(), released.outcome().blocked(), history));
        remember(product, memory, reported.health(), history);
        ProductPreview preview = gate.fresh().orElseGet(() -> previews.of(product, standard, baseline, standards.target(),
                facts, this::liveNamespaceAnnotations, false));
        previews.tell(product, Optional.ofNullable(product.getStatus()).map(ProductPlatformStatus::preview).orElse(null), preview);
        ProductPlatformStatus status = reported.status().withPreview(preview);
        reports.publish(product, resolved, baseline, status);
        return rescheduled(withStatus(product, status), earliest(nextWakeUp(result, released),
                previews.recheckAfter(preview, standard.revision())));
    }

    /** What the fleet's gauges need of this product (Ready, tier, revision, in drift), kept in its memory. */
    private void remember(ProductPlatform product, ProductMemory memory, ProductHealth health, DriftStatus drift) {
        memory.ready(health.ready());
        boolean inDrift = drift != null && drift.outstanding() != null && !drift.outstanding().isEmpty();
        if (memory.facts(product.getSpec().effectiveTier().name(), health.revision(), inDrift)) {
            metrics.revisionsChanged();
        }
    }

    /** Every exception outside the apply path reaches status with a stable reason; JOSDK's retry takes it from there. */
    @Override
    public ErrorStatusUpdateControl<ProductPlatform> updateErrorStatus(ProductPlatform product, Context<ProductPlatform> context,
                                                                       Exception e) {
        LOG.warnf(e, "reconciling %s failed", product.getMetadata().getName());
        fleet.of(product.getMetadata().getName()).ready(false);
        ProductPlatformStatus status = StatusAggregator.failed(product, standards.forProduct(product).revision(), e)
                .withPreview(Optional.ofNullable(product.getStatus()).map(ProductPlatformStatus::preview).orElse(null));
        if (Objects.equals(status, product.getStatus())) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        product.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(product);
    }

    @Override
    public DeleteControl cleanup(ProductPlatform product, Context<ProductPlatform> context) {
        String name = product.getMetadata().getName();
        DeletionPolicyHandler.Outcome outcome;
        try {
            outcome = deletion.release(product, Set.of(), fleet.of(name));
        } catch (RuntimeException e) {
            // JOSDK retries a failed cleanup but does not put it into status: do it here, then let it retry.
            patchStatusIfChanged(product, StatusAggregator.failed(product, standards.forProduct(product).revision(), e), context);
            throw e;
        }
        if (outcome.blocked().isEmpty()) {
            reports.forget(name);
            previews.forget(name);
            fleet.forget(name);
            metrics.forget(name);
            return DeleteControl.defaultDelete();
        }
        patchStatusIfChanged(product, StatusAggregator.deletionBlocked(product, standards.forProduct(product).revision(), outcome.namespaces(),
                outcome.blocked().get()), context);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.blockedRetry().toMillis());
    }

    private ClusterFacts clusterFacts(ResolvedProduct resolved) {
        return new ClusterFacts(
                storageClasses.list().map(sc -> sc.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new)),
                cache.has(LoggingBaseline.FLOW_KIND), peers.of(resolved));
    }

    /**
     * Registers the informer of an optional API that was installed since the last look, or removes the one of an
     * API that went; the watch on their CRDs reconciles every product when either happens.
     */
    private synchronized void followOptionalApis(Context<ProductPlatform> context) {
        EventSourceRetriever<ProductPlatform> retriever = context.eventSourceRetriever();
        boolean flows = optionalApis.installed(LoggingBaseline.FLOW_CRD);
        if (flows && !cache.has(LoggingBaseline.FLOW_KIND)) {
            InformerEventSource<GenericKubernetesResource, ProductPlatform> source =
                    ManagedCache.flowSource(retriever.eventSourceContextForDynamicRegistration());
            retriever.dynamicallyRegisterEventSource(source);
            cache.attach(LoggingBaseline.FLOW_KIND, source);
            LOG.info("kube-logging Flow API installed: managing Flows");
        } else if (!flows && cache.has(LoggingBaseline.FLOW_KIND)) {
            cache.detach(LoggingBaseline.FLOW_KIND);
            retriever.dynamicallyDeRegisterEventSource("managed-flows");
            LOG.info("kube-logging Flow API removed");
        }
        boolean openReports = optionalApis.installed(OpenReports.CRD);
        if (openReports && !reports.attached()) {
            InformerEventSource<GenericKubernetesResource, ProductPlatform> source = ManagedCache.customSource("reports",
                    OpenReports.KIND, retriever.eventSourceContextForDynamicRegistration());
            retriever.dynamicallyRegisterEventSource(source);
            reports.attach(source);
            LOG.info("OpenReports API installed: publishing a Report per environment namespace");
        } else if (!openReports && reports.attached()) {
            reports.detach();
            retriever.dynamicallyDeRegisterEventSource("managed-reports");
            LOG.info("OpenReports API removed");
        }
    }

    private Map<String, String> liveNamespaceAnnotations(String namespace) {
        return cache.get(new ObjectKey("Namespace", null, namespace))
                .map(ns -> ns.getMetadata().getAnnotations())
                .orElse(Map.of());
    }

    /** What the deletion policy did to removed environments, and every namespace retained so far. */
    private record Released(DeletionPolicyHandler.Outcome outcome, List<NamespaceStatus> namespaces) {
    }

    private Released releaseRemovedEnvironments(ProductPlatform product, ResolvedProduct resolved, ProductMemory memory) {
        DeletionPolicyHandler.Outcome outcome = new DeletionPolicyHandler.Outcome(List.of(), Optional.empty());
        if (resolved.mode(Area.namespaces) == Mode.Enforce) {
            outcome = deletion.release(product, resolved.environments().stream()
                    .map(e -> e.environment().namespace()).collect(Collectors.toSet()), memory);
        }
        List<NamespaceStatus> namespaces = new ArrayList<>(outcome.namespaces());
        namespaces.addAll(previouslyRetained(product, resolved, outcome.namespaces()));
        return new Released(outcome, namespaces);
    }

    /** Retained namespaces of earlier removals stay listed until their environment comes back. */
    private static List<NamespaceStatus> previouslyRetained(ProductPlatform product, ResolvedProduct resolved,
                                                            List<NamespaceStatus> releasedNow) {
        ProductPlatformStatus previous = product.getStatus();
        if (previous == null || previous.namespaces() == null) {
            return List.of();
        }
        Set<String> current = resolved.environments().stream().map(e -> e.environment().namespace()).collect(Collectors.toSet());
        Set<String> now = releasedNow.stream().map(NamespaceStatus::name).collect(Collectors.toSet());
        return previous.namespaces().stream()
                .filter(n -> n.state() == NamespaceState.Retained && !current.contains(n.name()) && !now.contains(n.name()))
                .toList();
    }

    /** A blocked deletion is looked at again after a while; a deferred repair or a refused apply when it is due. */
    private Optional<Duration> nextWakeUp(ProductSync.Result result, Released released) {
        if (released.outcome().blocked().isPresent()) {
            return Optional.of(settings.blockedRetry());
        }
        return result.nextAttempt().map(at -> Duration.between(Instant.now(), at)).map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    private static UpdateControl<ProductPlatform> withStatus(ProductPlatform product, ProductPlatformStatus status) {
        if (Objects.equals(status, product.getStatus())) {
            return UpdateControl.noUpdate();
        }
        product.setStatus(status);
        return UpdateControl.patchStatus(product);
    }

    private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    private static UpdateControl<ProductPlatform> rescheduled(UpdateControl<ProductPlatform> control, Optional<Duration> after) {
        return after.map(d -> control.rescheduleAfter(d.toMillis())).orElse(control);
    }

    private static void patchStatusIfChanged(ProductPlatform product, ProductPlatformStatus status, Context<ProductPlatform> context) {
        if (!Objects.equals(status, product.getStatus())) {
            product.setStatus(status);
            context.getClient().resource(product).patchStatus();
        }
    }
}
