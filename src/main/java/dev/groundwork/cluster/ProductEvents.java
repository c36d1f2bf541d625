package dev.groundwork.cluster;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

import java.util.Set;
import java.util.stream.Collectors;

/** An event source that carries no resources, only the news that some products are to be reconciled. */
public abstract class ProductEvents extends AbstractEventSource<Void, ProductPlatform> {
    ProductEvents(String name) {
        super(Void.class, name);
    }

    /** Every product the controller knows: for what concerns the whole fleet (a StorageClass, the standard, an API). */
    public static Set<ResourceID> everyProduct(EventSourceContext<ProductPlatform> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public Set<Void> getSecondaryResources(ProductPlatform primary) {
        return Set.of();
    }

    void announce(Set<ResourceID> products) {
        if (isRunning() && getEventHandler() != null) {
            products.forEach(product -> getEventHandler().handleEvent(new Event(product)));
        }
    }
}
