package dev.groundwork.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Kubernetes Events on groundwork's cluster-scoped objects. They live in the "default" namespace, as kubectl describe
 * expects for a cluster-scoped object. An event is a courtesy: failing to write one never fails a reconcile.
 */
public final class Events {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = Logger.getLogger(Events.class);
    private static final String NAMESPACE = "default";
    private static final String COMPONENT = "groundwork";

    private final KubernetesClient client;

    public Events(KubernetesClient client) {
        this.client = client;
    }

    public void emit(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        try {
            client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion())
                            .withKind(about.getKind())
                            .withName(about.getMetadata().getName())
                            .withUid(about.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 997) + "..." : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s for %s: %s", reason, about.getMetadata().getName(), e.getMessage());
        }
    }
}
