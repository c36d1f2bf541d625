package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.DeletionPolicy;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.Problem;
import dev.groundwork.cluster.BaselineWriter;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.cluster.LiveObjects;
import dev.groundwork.cluster.ManagedCache;
import dev.groundwork.drift.ProductMemory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Runs the deletion policy on namespaces a product no longer wants: all of them when the product is deleted,
 * those of removed environments otherwise. Retain unmanages; Delete removes, but never a namespace that still
 * holds PersistentVolumeClaims unless the product allows data loss.
 */
final class DeletionPolicyHandler {
    private static final Logger LOG = Logger.getLogger(DeletionPolicyHandler.class);

    private final LiveObjects cache;
    private final BaselineWriter writer;
    private final ToIntFunction<String> claimCount;

    DeletionPolicyHandler(ManagedCache cache, ClusterWriter writer) {
        this(cache, writer, namespace -> claimCount(writer.client(), namespace));
    }

    /** @param claimCount the PersistentVolumeClaims in a namespace (unit tests count them without a cluster) */
    DeletionPolicyHandler(LiveObjects cache, BaselineWriter writer, ToIntFunction<String> claimCount) {
        this.cache = cache;
        this.writer = writer;
        this.claimCount = claimCount;
    }

    record Outcome(List<NamespaceStatus> namespaces, Optional<Problem> blocked) {
    }

    /**
     * @param keep   namespaces still desired; every other managed namespace of the product is released
     * @param memory forgets each namespace released, so an environment that comes back starts afresh
     */
    Outcome release(ProductPlatform product, Collection<String> keep, ProductMemory memory) {
        String name = product.getMetadata().getName();
        List<HasMetadata> objects = cache.ofProduct(name);
        Map<String, List<HasMetadata>> byNamespace = objects.stream()
                .filter(o -> !"Namespace".equals(o.getKind()))
                .collect(Collectors.groupingBy(o -> o.getMetadata().getNamespace()));
        Set<String> claimed = claimedNamespaces(product);
        List<HasMetadata> namespaces = objects.stream()
                .filter(o -> "Namespace".equals(o.getKind()) && !keep.contains(o.getMetadata().getName()))
                .filter(o -> claimed.contains(o.getMetadata().getName()))
                .sorted(Comparator.comparing(o -> o.getMetadata().getName()))
                .toList();
        List<NamespaceStatus> statuses = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        for (HasMetadata namespace : namespaces) {
            String ns = namespace.getMetadata().getName();
            String environment = namespace.getMetadata().getLabels().get(Labels.ENVIRONMENT);
            List<HasMetadata> inside = byNamespace.getOrDefault(ns, List.of());
            if (product.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Retain) {
                inside.forEach(writer::unmanage);
                writer.unmanage(namespace);
                memory.forgetNamespace(ns);
                statuses.add(new NamespaceStatus(ns, environment, NamespaceState.Retained,
                        "Kept with its baseline by deletionPolicy Retain; no longer managed."));
                continue;
            }
            int claims = claimCount.applyAsInt(ns);
            if (claims > 0 && !product.allowsDataLoss()) {
                blocked.add(ns + " (" + claims + (claims == 1 ? " PersistentVolumeClaim)" : " PersistentVolumeClaims)"));
                statuses.add(new NamespaceStatus(ns, environment, NamespaceState.Retained,
                        "Deletion blocked: the namespace holds PersistentVolumeClaims."));
                continue;
            }
            inside.forEach(this::deleteQuietly);
            deleteQuietly(namespace);
            memory.forgetNamespace(ns);
            LOG.infof("deleted namespace %s of product %s", ns, name);
        }
        Optional<Problem> problem = blocked.isEmpty() ? Optional.empty() : Optional.of(new Problem(Reason.PersistentVolumeClaimsPresent,
                "Not deleting namespace " + String.join(", ", blocked) + ": deleting would lose data. Remove the claims, "
                        + "or annotate the ProductPlatform with " + ProductPlatform.ALLOW_DATA_LOSS_ANNOTATION + "=\"true\"."));
        return new Outcome(statuses, problem);
    }

    /**
     * The namespaces this product's status says groundwork claimed for it. Labels alone do not make a namespace
     * the product's: one someone else labelled for it is neither released nor deleted with it.
     */
    private static Set<String> claimedNamespaces(ProductPlatform product) {
        if (product.getStatus() == null || product.getStatus().namespaces() == null) {
            return Set.of();
        }
        return product.getStatus().namespaces().stream().filter(n -> n.state() != NamespaceState.Conflict)
                .map(NamespaceStatus::name).collect(Collectors.toSet());
    }

    private static int claimCount(KubernetesClient client, String namespace) {
        return client.persistentVolumeClaims().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit(100L).build()).getItems().size();
    }

    private void deleteQuietly(HasMetadata object) {
        try {
            writer.delete(object);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
