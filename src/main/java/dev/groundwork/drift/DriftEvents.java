package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Kubernetes Events on the ProductPlatform: Warning DriftDetected for each detection, Normal DriftRepaired for
 * each repair. Events of a cluster-scoped object live in the "default" namespace, as kubectl describe expects.
 */
public final class DriftEvents {
    public static final String DETECTED = "DriftDetected";
    public static final String REPAIRED = "DriftRepaired";
    private static final Logger LOG = Logger.getLogger(DriftEvents.class);
    private static final String NAMESPACE = "default";
    private static final String COMPONENT = "groundwork";

    private final KubernetesClient client;

    public DriftEvents(KubernetesClient client) {
        this.client = client;
    }

    public void detected(ProductPlatform product, Finding finding) {
        String who = finding.changedBy() == null ? "" : " by " + finding.changedBy();
        String what = finding.object() + (finding.fields().isEmpty() ? "" : " " + String.join(", ", finding.fields()));
        emit(product, "Warning", DETECTED, finding.change() + " " + what + who + " (" + finding.area() + ").");
    }

    public void repaired(ProductPlatform product, DriftLedger.Open drift) {
        String what = drift.object() + (drift.fields().isEmpty() ? "" : " " + String.join(", ", drift.fields()));
        emit(product, "Normal", REPAIRED, "Repaired " + what + ".");
    }

    private void emit(ProductPlatform product, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        try {
            client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(product.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(product.getApiVersion())
                            .withKind(product.getKind())
                            .withName(product.getMetadata().getName())
                            .withUid(product.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy; failing to write one must not fail the reconcile.
            LOG.warnf("could not record event %s for %s: %s", reason, product.getMetadata().getName(), e.getMessage());
        }
    }
}
