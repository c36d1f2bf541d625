package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.baseline.ObjectKey;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Turns one reconcile's findings into history: new detections get an Event and a count, ended drifts their
 * durations in the histograms, and both a place in status.
 */
public final class DriftRecorder {
    private final DriftEvents events;
    private final DriftMetrics metrics;

    public DriftRecorder(DriftEvents events, DriftMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * @param applied objects written in this reconcile
     * @param desired objects of the product's baseline now
     * @return the drift part of the product's next status
     */
    public DriftStatus record(ProductPlatform product, ProductMemory memory, List<Finding> findings,
                              Set<ObjectKey> applied, Set<ObjectKey> desired) {
        DriftStatus previous = product.getStatus() == null ? null : product.getStatus().drift();
        DriftLedger.Outcome outcome = DriftLedger.apply(memory, findings, applied, desired, previous, Instant.now());
        String name = product.getMetadata().getName();
        String tier = product.getSpec().effectiveTier().name();
        for (Finding finding : outcome.detected()) {
            events.detected(product, finding);
            metrics.detected(name, finding);
        }
        for (DriftLedger.Resolved resolved : outcome.resolved()) {
            if (resolved.how() == DriftResolution.Repaired) {
                events.repaired(product, resolved.drift());
            }
            metrics.resolved(name, tier, resolved);
        }
        return outcome.status();
    }
}
