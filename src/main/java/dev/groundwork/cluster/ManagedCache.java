package dev.groundwork.cluster;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.baseline.LoggingBaseline;
import dev.groundwork.baseline.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Informer caches of the objects groundwork manages, one per kind, filtered on the server by the
 * managed-by label so only managed objects are cached, and indexed by product so a reconcile reads
 * only its own product's objects.
 */
public final class ManagedCache implements LiveObjects {
    /**
     * Informers list in pages of this many objects (client-go's pager default): at start-up one unpaged list of every
     * NetworkPolicy of a large fleet is held whole while it is decoded, and the heap grown for it stays committed.
     */
    public static final long LIST_PAGE = 500;

    private static final String BY_PRODUCT = "by-product";

    /** Concurrent: the informer of an optional API (the kube-logging Flow) comes and goes while reconciles run. */
    private final Map<String, InformerEventSource<? extends HasMetadata, ProductPlatform>> byKind = new ConcurrentHashMap<>();
    private final Function<String, Set<ResourceID>> declaringAsPeer;
    private final PeerEvents peerEvents = new PeerEvents();
    private final InformerEventSource<Namespace, ProductPlatform> consents;

    /**
     * @param declaringAsPeer the products that declare a given product as a peer: a namespace of that product
     *                        appearing, changing or going concerns their NetworkPolicies too
     */
    public ManagedCache(EventSourceContext<ProductPlatform> context, Function<String, Set<ResourceID>> declaringAsPeer) {
        this.declaringAsPeer = declaringAsPeer;
        SecondaryToPrimaryMapper<Namespace> namespaceMapper = namespace -> {
            Set<ResourceID> products = new HashSet<>();
            for (ResourceID owner : productOf(namespace)) {
                products.add(owner);
                products.addAll(declaringAsPeer.apply(owner.getName()));
            }
            return products;
        };
        add("Namespace", source("namespaces", InformerEventSourceConfiguration.from(Namespace.class, ProductPlatform.class),
                namespaceMapper, context));
        add("NetworkPolicy", source("networkpolicies", InformerEventSourceConfiguration.from(NetworkPolicy.class, ProductPlatform.class), context));
        add("ResourceQuota", source("resourcequotas", InformerEventSourceConfiguration.from(ResourceQuota.class, ProductPlatform.class), context));
        add("LimitRange", source("limitranges", InformerEventSourceConfiguration.from(LimitRange.class, ProductPlatform.class), context));
        add("RoleBinding", source("rolebindings", InformerEventSourceConfiguration.from(RoleBinding.class, ProductPlatform.class), context));
        // Namespaces whose owner consented to an adoption, and only those (a label, filtered on the server): a product
        // waiting for consent is reconciled the moment it is given. Not a managed object: not in get() or ofProduct().
        consents = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, ProductPlatform.class)
                .withName("adoption-consents")
                .withLabelSelector(Labels.ADOPTION_CONSENT)
                .withItemStore(new PrunedItemStore<>())
                .withInformerListLimit(LIST_PAGE)
                .withSecondaryToPrimaryMapper(namespace -> Set.of(new ResourceID(
                        namespace.getMetadata().getLabels().get(Labels.ADOPTION_CONSENT))))
                .build(), context);
    }

    /** The informer of managed kube-logging Flows, for an API installed while the operator runs. */
    public static InformerEventSource<GenericKubernetesResource, ProductPlatform> flowSource(EventSourceContext<ProductPlatform> context) {
        GroupVersionKind flow = new GroupVersionKind(LoggingBaseline.FLOW_API_VERSION, LoggingBaseline.FLOW_KIND);
        return source("flows", InformerEventSourceConfiguration.from(flow, ProductPlatform.class), context);
    }

    /** An informer of managed objects of a custom kind: labelled managed-by groundwork, mapped and indexed by product. */
    public static InformerEventSource<GenericKubernetesResource, ProductPlatform> customSource(
            String name, GroupVersionKind kind, EventSourceContext<ProductPlatform> context) {
        return source(name, InformerEventSourceConfiguration.from(kind, ProductPlatform.class), context);
    }

    /** Objects of the product in that informer, through the by-product index. */
    public static <R extends HasMetadata> List<R> ofProduct(InformerEventSource<R, ProductPlatform> source, String product) {
        return source.byIndex(BY_PRODUCT, product);
    }

    public boolean has(String kind) {
        return byKind.containsKey(kind);
    }

    public void attach(String kind, InformerEventSource<? extends HasMetadata, ProductPlatform> source) {
        byKind.put(kind, source);
    }

    public void detach(String kind) {
        byKind.remove(kind);
    }

    private static <R extends HasMetadata> InformerEventSource<R, ProductPlatform> source(
            String name, InformerEventSourceConfiguration.Builder<R> builder, EventSourceContext<ProductPlatform> context) {
        return source(name, builder, ManagedCache::productOf, context);
    }

    private static <R extends HasMetadata> InformerEventSource<R, ProductPlatform> source(
            String name, InformerEventSourceConfiguration.Builder<R> builder, SecondaryToPrimaryMapper<R> mapper,
            EventSourceContext<ProductPlatform> context) {
        InformerEventSource<R, ProductPlatform> source = new InformerEventSource<>(builder
                .withName("managed-" + name)
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withItemStore(new PrunedItemStore<>())
                .withInformerListLimit(LIST_PAGE)
                .withSecondaryToPrimaryMapper(mapper)
                .build(), context);
        Function<R, List<String>> productIndex = r -> {
            String product = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.PRODUCT);
            return product == null ? List.of() : List.of(product);
        };
        source.addIndexers(Map.of(BY_PRODUCT, productIndex));
        return source;
    }

    private static Set<ResourceID> productOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String product = labels == null ? null : labels.get(Labels.PRODUCT);
        return product == null ? Set.of() : Set.of(new ResourceID(product));
    }

    private static Set<ResourceID> managedProductOf(HasMetadata object) {
        return Labels.isManaged(object) ? productOf(object) : Set.of();
    }

    private void add(String kind, InformerEventSource<? extends HasMetadata, ProductPlatform> source) {
        byKind.put(kind, source);
    }

    public List<EventSource<?, ProductPlatform>> eventSources() {
        List<EventSource<?, ProductPlatform>> sources = new ArrayList<>(byKind.values());
        sources.add(peerEvents);
        sources.add(consents);
        return sources;
    }

    @Override
    public Optional<HasMetadata> get(ObjectKey key) {
        InformerEventSource<? extends HasMetadata, ProductPlatform> source = byKind.get(key.kind());
        if (source == null) {
            return Optional.empty();
        }
        return source.get(new ResourceID(key.name(), key.namespace())).map(HasMetadata.class::cast);
    }

    @Override
    public List<HasMetadata> ofProduct(String product) {
        List<HasMetadata> objects = new ArrayList<>();
        for (InformerEventSource<? extends HasMetadata, ProductPlatform> source : byKind.values()) {
            objects.addAll(source.byIndex(BY_PRODUCT, product));
        }
        return objects;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void remember(HasMetadata written, HasMetadata previous) {
        InformerEventSource source = byKind.get(written.getKind());
        ResourceID product = productOf(written).stream().findFirst().orElse(null);
        if (source == null || product == null) {
            return;
        }
        if (previous == null) {
            source.handleRecentResourceCreate(product, written);
        } else {
            source.handleRecentResourceUpdate(product, written, previous);
        }
        announceClaim(written, previous);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public HasMetadata write(HasMetadata desired, HasMetadata live, UnaryOperator<HasMetadata> write) {
        InformerEventSource source = byKind.get(desired.getKind());
        if (source == null || productOf(desired).isEmpty()) {
            return write.apply(desired);
        }
        // JOSDK holds back this object's events while the write is in flight and drops the one the write caused: an
        // event of our own write used to arrive before its answer now and then and cost the product a second reconcile.
        HasMetadata written = (HasMetadata) source.eventFilteringUpdateAndCacheResource(desired, write);
        announceClaim(written, live);
        return written;
    }

    /** A namespace created or adopted: the informer skips this write's event, so tell the products that declared it as a peer. */
    private void announceClaim(HasMetadata written, HasMetadata previous) {
        if (written instanceof Namespace && !productOf(written).equals(previous == null ? Set.of() : managedProductOf(previous))) {
            productOf(written).stream().findFirst()
                    .ifPresent(product -> peerEvents.announce(declaringAsPeer.apply(product.getName())));
        }
    }
}
