package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.kube.Events;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Kubernetes Events on the ProductPlatform: Warning DriftDetected for each detection, Normal DriftRepaired for
 * each repair.
 */
public final class DriftEvents {
    public static final String DETECTED = "DriftDetected";
    public static final String REPAIRED = "DriftRepaired";

    private final Events events;

    public DriftEvents(KubernetesClient client) {
        this.events = new Events(client);
    }

    public void detected(ProductPlatform product, Finding finding) {
        String who = finding.changedBy() == null ? "" : " by " + finding.changedBy();
        String what = finding.object() + (finding.fields().isEmpty() ? "" : " " + String.join(", ", finding.fields()));
        emit(product, Events.WARNING, DETECTED, finding.change() + " " + what + who + " (" + finding.area() + ").");
    }

    public void repaired(ProductPlatform product, DriftLedger.Open drift) {
        String what = drift.object() + (drift.fields().isEmpty() ? "" : " " + String.join(", ", drift.fields()));
        emit(product, Events.NORMAL, REPAIRED, "Repaired " + what + ".");
    }

    private void emit(ProductPlatform product, String type, String reason, String message) {
        events.emit(product, type, reason, message);
    }
}
