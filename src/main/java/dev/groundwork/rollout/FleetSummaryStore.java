package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.EnvironmentSpec;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformSpec;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.cluster.TransformingItemStore;
import dev.groundwork.status.ProductHealth;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The standard's controller's cache of ProductPlatforms (informer standard-products) keeps of each product only what
 * the standard's controller reads: name, uid, resourceVersion, generation and labels (wave selectors), the tier and
 * environment names (cluster checks of a new standard), and of the status the revision, the Ready and InSync
 * conditions (type, status, message), the namespaces (name, state) and the outline of the preview (see {@link #preview}). The products' controller keeps the full
 * objects in its own cache; this second copy of the fleet would otherwise double that.
 */
final class FleetSummaryStore extends TransformingItemStore<ProductPlatform> {
    private static final Set<String> CONDITIONS = ProductHealth.CONDITIONS.stream().map(Enum::name).collect(Collectors.toSet());

    FleetSummaryStore() {
        super(FleetSummaryStore::summary);
    }

    static ProductPlatform summary(ProductPlatform product) {
        ObjectMeta from = product.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(from.getName());
        meta.setNamespace(from.getNamespace());
        meta.setUid(from.getUid());
        meta.setResourceVersion(from.getResourceVersion());
        meta.setGeneration(from.getGeneration());
        meta.setDeletionTimestamp(from.getDeletionTimestamp());
        if (from.getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>();
            from.getLabels().forEach((k, v) -> labels.put(k.intern(), v.intern()));
            meta.setLabels(labels);
        }
        ProductPlatform summary = new ProductPlatform();
        summary.setMetadata(meta);
        ProductPlatformSpec spec = product.getSpec();
        if (spec != null) {
            List<EnvironmentSpec> environments = spec.environments() == null ? null
                    : spec.environments().stream().map(e -> new EnvironmentSpec(intern(e.name()), intern(e.namespace()))).toList();
            summary.setSpec(new ProductPlatformSpec(null, spec.tier(), null, environments, null, null, null, null, null));
        }
        ProductPlatformStatus status = product.getStatus();
        if (status != null) {
            List<NamespaceStatus> namespaces = status.namespaces() == null ? null : status.namespaces().stream()
                    .map(n -> new NamespaceStatus(intern(n.name()), null, n.state(), null)).toList();
            List<Condition> conditions = status.conditions() == null ? null : status.conditions().stream()
                    .filter(c -> CONDITIONS.contains(c.getType()))
                    .map(c -> {
                        Condition kept = new Condition();
                        kept.setType(intern(c.getType()));
                        kept.setStatus(intern(c.getStatus()));
                        kept.setReason(intern(c.getReason()));
                        kept.setMessage(intern(c.getMessage()));
                        return kept;
                    }).toList();
            summary.setStatus(new ProductPlatformStatus(null, intern(status.standardRevision()), null, namespaces, conditions, null,
                    preview(status.preview())));
        }
        return summary;
    }

    /**
     * Of a preview, what the standard's summary reads: the revisions, each change's kind of object and of change, and
     * each finding's area, severity, subject and message (not its evidence or time).
     */
    static ProductPreview preview(ProductPreview preview) {
        if (preview == null) {
            return null;
        }
        List<ObjectChange> changes = preview.changes() == null ? null : preview.changes().stream()
                .map(c -> new ObjectChange(intern(c.object().substring(0, Math.max(0, c.object().indexOf(' ')))), null,
                        c.change(), null)).toList();
        List<PreviewFinding> findings = preview.findings() == null ? null : preview.findings().stream()
                .map(f -> new PreviewFinding(intern(f.area()), f.severity(), null, f.subject(), f.message(), null, null))
                .toList();
        return new ProductPreview(intern(preview.revision()), intern(preview.fromRevision()), preview.created(),
                preview.updated(), preview.pruned(), preview.blocking(), changes, findings);
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }
}
