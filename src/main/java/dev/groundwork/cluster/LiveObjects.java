package dev.groundwork.cluster;

import dev.groundwork.baseline.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The managed objects as groundwork sees them: the informer caches in the operator, a map in unit tests. */
public interface LiveObjects {
    Optional<HasMetadata> get(ObjectKey key);

    /** Every managed object labelled for the product, namespaces included. */
    List<HasMetadata> ofProduct(String product);

    /** What a write returned, known at once, so the next reconcile does not see stale state. */
    void remember(HasMetadata written, HasMetadata previous);

    /**
     * Runs one write of a managed object and remembers what it returned. The watch event of this very write starts
     * no reconcile, even when it arrives before the write's answer; a change by someone else meanwhile still does.
     */
    HasMetadata write(HasMetadata desired, HasMetadata live, UnaryOperator<HasMetadata> write);
}
