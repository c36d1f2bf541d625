package dev.groundwork.cluster;

import dev.groundwork.drift.ChangedBy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

import java.util.List;

/**
 * An informer store that keeps managedFields only where they can matter: the entry of groundwork's own apply is
 * dropped as objects enter the cache. That entry names every field groundwork sets, so it was the largest part of
 * each cached object, and nothing reads it: drift is judged against the desired object, and {@code ChangedBy}
 * looks only at the other managers' entries (which stay), to name who took a field over. The rest is compacted
 * ({@link CacheCompactor}: repeated strings shared, empty maps shared).
 */
final class PrunedItemStore<R extends HasMetadata> extends TransformingItemStore<R> {
    PrunedItemStore() {
        super(object -> CacheCompactor.compact(prune(object)));
    }

    static <R extends HasMetadata> R prune(R object) {
        List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
        if (entries != null && !entries.isEmpty()) {
            List<ManagedFieldsEntry> others = entries.stream()
                    .filter(e -> !ChangedBy.isOurs(e, ClusterWriter.FIELD_MANAGER)).toList();
            object.getMetadata().setManagedFields(others.isEmpty() ? null : others);
        }
        return object;
    }
}
