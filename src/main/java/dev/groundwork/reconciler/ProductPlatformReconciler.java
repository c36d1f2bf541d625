package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.LoggingBaseline;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.drift.DriftEvents;
import dev.groundwork.drift.DriftLedger;
import dev.groundwork.drift.DriftMetrics;
import dev.groundwork.drift.RepairBackoff;
import dev.groundwork.standard.Standard;
import io.micrometer.core.instrument.MeterRegistry;
import dev.groundwork.drift.Finding;
import dev.groundwork.standard.LoadedStandard;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
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
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class ProductPlatformReconciler implements Reconciler<ProductPlatform>, Cleaner<ProductPlatform> {
    public static final String NAME = "groundwork";
    private static final Logger LOG = Logger.getLogger(ProductPlatformReconciler.class);

    private final LoadedStandard standard;
    private final OperatorSettings settings;
    private final ProductResolver resolver;
    private final BaselinePlanner planner;
    private final DriftLedger ledger = new DriftLedger();
    private final RepairBackoff backoff = RepairBackoff.defaults();
    private final DriftMetrics metrics;
    private DriftEvents events;

    private ManagedCache cache;
    private InformerEventSource<StorageClass, ProductPlatform> storageClasses;
    private boolean flowApiInstalled;
    private ProductSync sync;
    private DeletionPolicyHandler deletion;
    private PeerDirectory peers;

    @Inject
    public ProductPlatformReconciler(LoadedStandard standard, OperatorSettings settings, MeterRegistry registry) {
        this.standard = standard;
        this.settings = settings;
        this.metrics = new DriftMetrics(registry);
        Set<String> protectedNamespaces = new HashSet<>(standard.standard().protectedNamespaces());
        settings.operatorNamespace().ifPresent(protectedNamespaces::add);
        this.resolver = new ProductResolver(standard.standard(), protectedNamespaces);
        this.planner = new BaselinePlanner(standard.standard());
    }

    @Override
    public List<EventSource<?, ProductPlatform>> prepareEventSources(EventSourceContext<ProductPlatform> context) {
        ClusterWriter writer = new ClusterWriter(context.getClient());
        flowApiInstalled = context.getClient().apiextensions().v1().customResourceDefinitions()
                .withName(LoggingBaseline.FLOW_CRD).get() != null;
        LOG.infof("standard revision %s; kube-logging Flow API %s", standard.revision(),
                flowApiInstalled ? "installed" : "not installed");
        cache = new ManagedCache(context, flowApiInstalled, product -> peers.declaring(product));
        peers = new PeerDirectory(context.getPrimaryCache(), cache, resolver);
        sync = new ProductSync(cache, writer, new NamespaceClaims(context.getClient()), backoff);
        events = new DriftEvents(context.getClient());
        deletion = new DeletionPolicyHandler(cache, writer);
        // A StorageClass appearing or going changes every product's quota.
        storageClasses = new InformerEventSource<>(InformerEventSourceConfiguration.from(StorageClass.class, ProductPlatform.class)
                .withName("storageclasses")
                .withSecondaryToPrimaryMapper(sc -> context.getPrimaryCache().list().map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build(), context);
        List<EventSource<?, ProductPlatform>> sources = new ArrayList<>(cache.eventSources());
        sources.add(storageClasses);
        return sources;
    }

    @Override
    public UpdateControl<ProductPlatform> reconcile(ProductPlatform product, Context<ProductPlatform> context) {
        long started = System.nanoTime();
        try {
            return reconcileTimed(product, context);
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private UpdateControl<ProductPlatform> reconcileTimed(ProductPlatform product, Context<ProductPlatform> context) {
        ResolvedProduct resolved = resolver.resolve(product);
        ClusterFacts facts = new ClusterFacts(
                storageClasses.list().map(sc -> sc.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new)),
                flowApiInstalled, peers.of(resolved));
        Baseline baseline = planner.plan(resolved, facts, this::liveNamespaceAnnotations);

        ProductSync.Result result = sync.sync(baseline);
        result.areas().get(Area.networking).notes.addAll(networkingNotes(resolved, facts.peers()));

        DeletionPolicyHandler.Outcome released = new DeletionPolicyHandler.Outcome(List.of(), Optional.empty());
        if (resolved.mode(Area.namespaces) == dev.groundwork.api.v1alpha1.Mode.Enforce) {
            released = deletion.release(product, resolved.environments().stream()
                    .map(e -> e.environment().namespace()).collect(Collectors.toSet()));
        }
        List<NamespaceStatus> extra = new ArrayList<>(released.namespaces());
        extra.addAll(previouslyRetained(product, resolved, released.namespaces()));

        String name = product.getMetadata().getName();
        List<Finding> findings = result.areas().values().stream().flatMap(a -> a.findings.stream()).toList();
        ProductPlatformStatus previous = product.getStatus();
        List<Finding> fresh = ledger.detect(name, findings, previous == null ? null : previous.drift());
        for (Finding finding : fresh) {
            events.publish(product, finding);
            metrics.detected(name, finding);
        }
        DriftStatus drift = ledger.record(previous == null ? null : previous.drift(), fresh);

        ProductPlatformStatus status = StatusBuilder.build(product, standard.revision(), result, readyTexts(resolved, facts),
                extra, released.blocked(), drift);
        metrics.ready(name, status.conditions().stream()
                .anyMatch(c -> StatusBuilder.READY.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus())));
        UpdateControl<ProductPlatform> control;
        if (Objects.equals(status, previous)) {
            control = UpdateControl.noUpdate();
        } else {
            product.setStatus(status);
            control = UpdateControl.patchStatus(product);
        }
        Optional<Duration> retry = released.blocked().isPresent() ? Optional.of(settings.blockedRetry()) : Optional.empty();
        Optional<Duration> repair = result.nextRepair().map(at -> Duration.between(Instant.now(), at))
                .map(d -> d.isNegative() ? Duration.ZERO : d);
        return retry.or(() -> repair).map(d -> control.rescheduleAfter(d.toMillis())).orElse(control);
    }

    @Override
    public DeleteControl cleanup(ProductPlatform product, Context<ProductPlatform> context) {
        DeletionPolicyHandler.Outcome outcome = deletion.release(product, Set.of());
        if (outcome.blocked().isEmpty()) {
            ledger.forget(product.getMetadata().getName());
            metrics.forget(product.getMetadata().getName());
            return DeleteControl.defaultDelete();
        }
        ProductPlatformStatus previous = product.getStatus();
        ProductPlatformStatus status = StatusBuilder.deletionBlocked(product, standard.revision(), outcome.namespaces(),
                outcome.blocked().get());
        if (!Objects.equals(status, previous)) {
            product.setStatus(status);
            context.getClient().resource(product).patchStatus();
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.blockedRetry().toMillis());
    }

    private Map<String, String> liveNamespaceAnnotations(String namespace) {
        return cache.get(new ObjectKey("Namespace", null, namespace))
                .map(ns -> ns.getMetadata().getAnnotations())
                .orElse(Map.of());
    }

    private static List<String> networkingNotes(ResolvedProduct product, PeerNamespaces peerNamespaces) {
        List<String> notes = new ArrayList<>();
        for (String peer : product.networking().peers()) {
            List<String> missing = product.environments().stream().map(e -> e.environment().name())
                    .filter(env -> peerNamespaces.namespaceOf(peer, env).isEmpty()).toList();
            if (!missing.isEmpty()) {
                notes.add("Peer " + peer + " has no namespace for " + String.join(", ", missing)
                        + " yet; it is allowed there as soon as groundwork manages one.");
            }
        }
        boolean egressDeclared = !product.networking().egressPeers().isEmpty() || !product.networking().egressCidrs().isEmpty();
        if (egressDeclared && product.tierStandard().egress() == Standard.Egress.allow) {
            notes.add("Tier " + product.tier() + " allows all egress, so allowEgressTo and allowEgressCIDRs add no policy.");
        }
        return notes;
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

    private Map<Area, String[]> readyTexts(ResolvedProduct product, ClusterFacts facts) {
        int environments = product.environments().size();
        String where = environments == 1 ? "the namespace" : "all " + environments + " namespaces";
        Map<Area, String[]> texts = new EnumMap<>(Area.class);
        texts.put(Area.namespaces, new String[]{"NamespacesApplied",
                "Namespaces carry the product labels and Pod Security level " + product.tierStandard().podSecurity().enforce() + "."});
        texts.put(Area.networking, new String[]{"PoliciesApplied", "NetworkPolicies are in place in " + where + "."});
        texts.put(Area.storage, new String[]{"QuotaApplied", "Storage quota " + product.storage().maxTotal() + " / "
                + product.storage().maxClaims() + " claims (max " + product.storage().maxClaimSize() + " each) on classes "
                + String.join(", ", product.storage().classes()) + " is in place in " + where + "."});
        texts.put(Area.access, new String[]{"RoleBindingApplied", AccessTexts.ready(product)});
        boolean flowEnabled = standard.standard().logging().flowEnabled();
        if (flowEnabled && facts.flowApiInstalled()) {
            texts.put(Area.logging, new String[]{"FlowApplied", "Logs go to sink " + product.logging().sink()
                    + " through a kube-logging Flow; retention " + product.logging().retentionDays() + " days."});
        } else if (flowEnabled) {
            texts.put(Area.logging, new String[]{"LogPipelineMissing", "The kube-logging Flow API is not installed; the namespace "
                    + "annotations name sink " + product.logging().sink() + " and retention " + product.logging().retentionDays() + " days."});
        } else {
            texts.put(Area.logging, new String[]{"LabelsApplied", "The namespace annotations name sink " + product.logging().sink()
                    + " and retention " + product.logging().retentionDays() + " days."});
        }
        return texts;
    }
}
