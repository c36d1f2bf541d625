package dev.groundwork.standard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.api.Labels;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every revision of the standard that products were moved to, stored immutable as an apps/v1 ControllerRevision in
 * the operator's namespace, so a restarted operator reconciles each product against the exact revision it is on and
 * `kubectl get controllerrevisions` lists the history. The last {@value #HISTORY} are kept, and every one a product
 * still uses.
 */
public final class RevisionStore {
    public static final String REVISION_LABEL = "groundwork.dev/standard-revision";
    public static final String SELECTOR = Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE + "," + REVISION_LABEL;
    static final int HISTORY = 10;
    private static final String PREFIX = "groundwork-standard-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;

    public RevisionStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public static String name(String revision) {
        return PREFIX + revision;
    }

    /** The revision's standard; data is free-form JSON, read whatever type the client gave it. */
    public static Optional<LoadedStandard> read(ControllerRevision stored) {
        JsonNode data = JSON.valueToTree(stored.getData());
        JsonNode standard = data == null ? null : data.get("standard");
        return standard == null || !standard.isTextual() ? Optional.empty() : Optional.of(StandardLoader.fromJson(standard.asText()));
    }

    /** Stores the revision unless it is there already; a stored revision is never changed. */
    public void store(LoadedStandard standard, List<ControllerRevision> existing) {
        if (existing.stream().anyMatch(r -> r.getMetadata().getName().equals(name(standard.revision())))) {
            return;
        }
        long next = existing.stream().mapToLong(ControllerRevision::getRevision).max().orElse(0) + 1;
        ControllerRevision revision = new ControllerRevisionBuilder()
                .withNewMetadata().withName(name(standard.revision())).withNamespace(namespace)
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, REVISION_LABEL, standard.revision()))
                .endMetadata()
                .withRevision(next)
                .withData(Map.of("standard", StandardLoader.toJson(standard.standard())))
                .build();
        try {
            client.resource(revision).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** Deletes the oldest revisions beyond the history, never one in use nor the newest. */
    public void prune(List<ControllerRevision> existing, Set<String> inUse) {
        List<ControllerRevision> newestFirst = existing.stream()
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision).reversed()).toList();
        for (ControllerRevision old : newestFirst.subList(Math.min(HISTORY, newestFirst.size()), newestFirst.size())) {
            if (!inUse.contains(old.getMetadata().getLabels().get(REVISION_LABEL))) {
                client.resource(old).delete();
            }
        }
    }
}
