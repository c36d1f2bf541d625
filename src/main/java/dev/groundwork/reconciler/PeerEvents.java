package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

import java.util.Set;

/**
 * Reconciles the products that declared a peer when groundwork itself creates the peer's namespace. The informer
 * does this for namespaces others create, change or release, but skips the event of the operator's own write
 * (the write's result is put into the cache at once), so that one is announced here.
 */
final class PeerEvents extends AbstractEventSource<Void, ProductPlatform> {
    PeerEvents() {
        super(Void.class, "peer-namespaces");
    }

    /** It carries no resources, only the event. */
    @Override
    public Set<Void> getSecondaryResources(ProductPlatform primary) {
        return Set.of();
    }

    void announce(Set<ResourceID> products) {
        if (isRunning()) {
            products.forEach(product -> getEventHandler().handleEvent(new Event(product)));
        }
    }
}
