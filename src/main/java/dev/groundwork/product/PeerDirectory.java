package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.baseline.Environment;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.cluster.LiveObjects;
import dev.groundwork.cluster.ManagedCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who is whose peer. A peer's namespace is one its own ProductPlatform declares for that environment and that
 * groundwork manages for it (in the managed cache, labelled for it): both are needed, since a label alone can be
 * written by anyone who may label namespaces, while a namespace the peer declares and groundwork claimed is the
 * peer's. Reads only the declared peers' objects, never the fleet.
 */
final class PeerDirectory {
    private static final String BY_PEER = "by-declared-peer";

    private final IndexerResourceCache<ProductPlatform> products;
    private final LiveObjects cache;
    private final Function<ProductPlatform, List<ResolvedProduct.PlannedEnvironment>> environments;

    /**
     * Indexes the primary cache by declared peer; call before the informers start.
     *
     * @param environments a product's environments as the standard it is on resolves them
     */
    PeerDirectory(IndexerResourceCache<ProductPlatform> products, LiveObjects cache,
                  Function<ProductPlatform, List<ResolvedProduct.PlannedEnvironment>> environments) {
        this.products = products;
        this.cache = cache;
        this.environments = environments;
        products.addIndexer(BY_PEER, product -> product.getSpec() == null ? List.of()
                : List.copyOf(product.getSpec().networkingOrEmpty().peers()));
    }

    PeerNamespaces of(ResolvedProduct product) {
        Map<String, Map<String, String>> byPeer = new TreeMap<>();
        for (String peer : product.networking().peers()) {
            products.get(new ResourceID(peer)).ifPresent(declared -> {
                Map<String, String> namespaces = managedNamespaces(peer, declared);
                if (!namespaces.isEmpty()) {
                    byPeer.put(peer, namespaces);
                }
            });
        }
        return new PeerNamespaces(byPeer);
    }

    /** The products that declare {@code product} as a peer: their policies follow its namespaces. */
    Set<ResourceID> declaring(String product) {
        return products.byIndex(BY_PEER, product).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private Map<String, String> managedNamespaces(String peer, ProductPlatform declared) {
        Map<String, String> namespaces = new TreeMap<>();
        for (ResolvedProduct.PlannedEnvironment planned : environments.apply(declared)) {
            Environment env = planned.environment();
            if (planned.problem().isEmpty() && cache.get(new ObjectKey("Namespace", null, env.namespace()))
                    .filter(namespace -> labelledFor(namespace, peer, env.name())).isPresent()) {
                namespaces.put(env.name(), env.namespace());
            }
        }
        return namespaces;
    }

    private static boolean labelledFor(HasMetadata namespace, String product, String environment) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        return labels != null && product.equals(labels.get(Labels.PRODUCT))
                && environment.equals(labels.get(Labels.ENVIRONMENT));
    }
}
