package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;

import java.util.List;

/** Turns one reconcile's findings into history: new detections get an Event and a count, then a place in status. */
public final class DriftRecorder {
    private final DriftEvents events;
    private final DriftMetrics metrics;

    public DriftRecorder(DriftEvents events, DriftMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** @return the drift part of the product's next status */
    public DriftStatus record(ProductPlatform product, ProductMemory memory, List<Finding> findings) {
        DriftStatus previous = product.getStatus() == null ? null : product.getStatus().drift();
        List<Finding> fresh = DriftLedger.detect(memory, findings, previous);
        for (Finding finding : fresh) {
            events.publish(product, finding);
            metrics.detected(product.getMetadata().getName(), finding);
        }
        return DriftLedger.record(previous, fresh);
    }
}
