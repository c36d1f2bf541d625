package dev.groundwork.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.standard.LoadedStandard;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.Optional;

/**
 * The one-command controls of a rollout, given as an annotation on the PlatformStandard that the operator carries out
 * and removes: {@code kubectl annotate pstd default groundwork.dev/rollout=resume} lets a halted rollout go on past
 * the halted wave; {@code kubectl annotate pstd default groundwork.dev/rollout=rollback} puts the content of the last
 * revision every product reached back into the spec (rollout settings kept), which is a new revision with the old
 * content: only the products that left it move, wave by wave like any change.
 */
final class RolloutCommands {
    static final String ANNOTATION = "groundwork.dev/rollout";
    static final String RESUME = "resume";
    static final String ROLLBACK = "rollback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutCommands() {
    }

    static Optional<String> requested(PlatformStandard standard) {
        return Optional.ofNullable(standard.getMetadata().getAnnotations()).map(a -> a.get(ANNOTATION));
    }

    /** Removes the command, so that it is carried out once. */
    static void clear(KubernetesClient client, PlatformStandard standard) {
        ArrayNode patch = JSON.createArrayNode();
        patch.add(removeAnnotation());
        apply(client, standard, patch);
    }

    /** The spec becomes the content of {@code to}, and the command is removed, in one write. */
    static void rollBack(KubernetesClient client, PlatformStandard standard, LoadedStandard to) {
        ObjectNode spec = JSON.valueToTree(to.standard());
        spec.set("rollout", JSON.valueToTree(standard.getSpec().rollout()));
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                .put("value", standard.getMetadata().getResourceVersion());
        patch.addObject().put("op", "replace").put("path", "/spec").set("value", spec);
        patch.add(removeAnnotation());
        apply(client, standard, patch);
    }

    private static ObjectNode removeAnnotation() {
        return JSON.createObjectNode().put("op", "remove").put("path", "/metadata/annotations/" + ANNOTATION.replace("/", "~1"));
    }

    private static void apply(KubernetesClient client, PlatformStandard standard, ArrayNode patch) {
        client.resources(PlatformStandard.class).withName(standard.getMetadata().getName())
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(ClusterWriter.FIELD_MANAGER)
                        .build(), patch.toString());
    }
}
