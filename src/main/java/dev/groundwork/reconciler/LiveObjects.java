package dev.groundwork.reconciler;

import dev.groundwork.baseline.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/** The managed objects as groundwork sees them: the informer caches in the operator, a map in unit tests. */
interface LiveObjects {
    Optional<HasMetadata> get(ObjectKey key);

    /** Every managed object labelled for the product, namespaces included. */
    List<HasMetadata> ofProduct(String product);

    /** What a write returned, known at once, so the next reconcile does not see stale state. */
    void remember(HasMetadata written, HasMetadata previous);
}
