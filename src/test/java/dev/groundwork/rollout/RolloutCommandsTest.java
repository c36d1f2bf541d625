package dev.groundwork.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollout's one-command controls: an annotation on the PlatformStandard, carried out and removed. */
@EnableKubernetesMockClient(crud = true)
class RolloutCommandsTest {
    private static final LoadedStandard BUILT_IN = StandardLoader.defaults();

    KubernetesMockServer server;
    KubernetesClient client;

    /** The standard as a user left it: one environment, rollout settings of their own, and the command. */
    private static PlatformStandard standard(Map<String, String> annotations) {
        PlatformStandard standard = Serialization.unmarshal("""
                apiVersion: groundwork.dev/v1alpha1
                kind: PlatformStandard
                metadata:
                  name: default
                spec:
                  environments: [prod]
                  rollout: {strategy: Immediate, maxFailures: 2, paused: true}
                """, PlatformStandard.class);
        standard.getMetadata().setAnnotations(annotations);
        return standard;
    }

    private PlatformStandard stored(Map<String, String> annotations) throws InterruptedException {
        PlatformStandard stored = client.resource(standard(annotations)).create();
        requests();
        return stored;
    }

    private PlatformStandard read() {
        return client.resources(PlatformStandard.class).withName(PlatformStandard.NAME).get();
    }

    /** The requests the API server received since the last call. */
    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(0, TimeUnit.SECONDS); r != null; r = server.takeRequest(0, TimeUnit.SECONDS)) {
            requests.add(r);
        }
        return requests;
    }

    /**
     * Asserts the command made one write, a JSON patch under groundwork's field manager (the reads the client makes
     * first do not count). The mock API server consumes the body; what the patch did is read back from it.
     */
    private void oneJsonPatch() throws InterruptedException {
        List<RecordedRequest> writes = requests().stream().filter(r -> !"GET".equals(r.getMethod())).toList();
        assertThat(writes).hasSize(1);
        RecordedRequest request = writes.get(0);
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).startsWith("/apis/groundwork.dev/v1alpha1/platformstandards/default")
                .contains("fieldManager=groundwork");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json-patch+json");
    }

    @Test
    void theCommandIsTheValueOfTheRolloutAnnotation() {
        assertThat(RolloutCommands.requested(standard(Map.of("groundwork.dev/rollout", "resume")))).contains("resume");
        assertThat(RolloutCommands.requested(standard(Map.of("groundwork.dev/rollout", "rollback", "note", "x"))))
                .contains("rollback");
        assertThat(RolloutCommands.requested(standard(Map.of("groundwork.dev/rollout", "sideways")))).contains("sideways");
    }

    @Test
    void aStandardWithoutTheAnnotationHasNoCommand() {
        assertThat(RolloutCommands.requested(standard(null))).isEmpty();
        assertThat(RolloutCommands.requested(standard(Map.of("note", "resume")))).isEmpty();
    }

    @Test
    void clearingRemovesTheCommandAndNothingElse() throws InterruptedException {
        PlatformStandard standard = stored(Map.of("groundwork.dev/rollout", "resume", "note", "keep me"));

        RolloutCommands.clear(client, standard);

        oneJsonPatch();
        PlatformStandard after = read();
        assertThat(after.getMetadata().getAnnotations()).containsExactlyEntriesOf(Map.of("note", "keep me"));
        assertThat(after.getSpec()).isEqualTo(standard.getSpec());
    }

    @Test
    void rollingBackPutsTheRevisionsContentInTheSpecKeepsTheRolloutSettingsAndRemovesTheCommandInOneWrite()
            throws InterruptedException {
        PlatformStandard standard = stored(Map.of("groundwork.dev/rollout", "rollback"));
        PlatformStandardSpec.Rollout rollout = standard.getSpec().rollout();

        RolloutCommands.rollBack(client, standard, BUILT_IN);

        oneJsonPatch();
        PlatformStandard after = read();
        assertThat(after.getSpec().environments()).isEqualTo(BUILT_IN.standard().environments());
        assertThat(after.getSpec().access().bindableRoles()).isEqualTo(BUILT_IN.standard().access().bindableRoles());
        assertThat(after.getSpec().rollout()).isEqualTo(rollout);
        assertThat(StandardLoader.fromSpec(after.getSpec()).revision()).isEqualTo(BUILT_IN.revision());
        assertThat(after.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void aRollbackIsGuardedByTheResourceVersionTheStandardWasReadAt() throws Exception {
        PlatformStandard read = stored(Map.of("groundwork.dev/rollout", "rollback"));
        // This write answered by an expectation, not the in-memory store, keeps its body to read.
        server.expect().patch().withPath("/apis/groundwork.dev/v1alpha1/platformstandards/default?fieldManager=groundwork")
                .andReturn(200, read).once();

        RolloutCommands.rollBack(client, read, BUILT_IN);

        RecordedRequest patch = requests().stream().filter(r -> "PATCH".equals(r.getMethod())).findFirst().orElseThrow();
        JsonNode ops = new ObjectMapper().readTree(patch.getUtf8Body());
        assertThat(ops).extracting(op -> op.get("op").asText() + " " + op.get("path").asText())
                .containsExactly("test /metadata/resourceVersion", "replace /spec",
                        "remove /metadata/annotations/groundwork.dev~1rollout");
        assertThat(ops.get(0).get("value").asText()).isNotEmpty().isEqualTo(read.getMetadata().getResourceVersion());
    }
}
