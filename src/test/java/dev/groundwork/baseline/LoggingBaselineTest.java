package dev.groundwork.baseline;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class LoggingBaselineTest {

    private static Optional<GenericKubernetesResource> build(ResolvedProduct product, String environment,
                                                             boolean flowEnabled, boolean flowApiInstalled) {
        return LoggingBaseline.build(product, Fixtures.environment(product, environment), flowEnabled, flowApiInstalled);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource flow) {
        return (Map<String, Object>) flow.getAdditionalProperties().get("spec");
    }

    @Test
    void flowWhenEnabledAndInstalled() {
        ResolvedProduct product = Fixtures.minimal("payments", "standard");

        GenericKubernetesResource flow = build(product, "prod", true, true).orElseThrow();

        assertThat(flow.getApiVersion()).isEqualTo("logging.banzaicloud.io/v1beta1");
        assertThat(flow.getKind()).isEqualTo("Flow");
        assertThat(flow.getMetadata().getName()).isEqualTo("groundwork-logging");
        assertThat(flow.getMetadata().getNamespace()).isEqualTo("payments-prod");
        assertThat(flow.getMetadata().getLabels()).containsOnly(
                entry("app.kubernetes.io/managed-by", "groundwork"),
                entry("groundwork.dev/product", "payments"),
                entry("groundwork.dev/environment", "prod"));
        assertThat(spec(flow)).containsOnlyKeys("match", "globalOutputRefs");
        assertThat(spec(flow).get("match")).as("select every pod").isEqualTo(List.of(Map.of("select", Map.of())));
        assertThat(spec(flow).get("globalOutputRefs")).isEqualTo(List.of("cluster-logs"));
    }

    @ParameterizedTest(name = "sink {0}")
    @CsvSource(delimiter = ';', value = {
            "default; cluster-logs",
            "audit;   cluster-logs,audit-archive",
    })
    void globalOutputRefsAreTheSinksOutputs(String sink, String outputs) {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                environments: [{name: prod}, {name: staging, namespace: pay-stage}]
                logging: {sink: %s}
                """.formatted(sink));

        GenericKubernetesResource flow = build(product, "staging", true, true).orElseThrow();

        assertThat(flow.getMetadata().getNamespace()).isEqualTo("pay-stage");
        assertThat(flow.getMetadata().getLabels()).containsEntry("groundwork.dev/environment", "staging");
        assertThat(spec(flow).get("globalOutputRefs")).isEqualTo(List.of(outputs.split(",")));
    }

    @ParameterizedTest(name = "enabled={0} installed={1}")
    @CsvSource({
            "true,  false",
            "false, true",
            "false, false",
    })
    void noFlowUnlessEnabledAndInstalled(boolean flowEnabled, boolean flowApiInstalled) {
        assertThat(build(Fixtures.minimal("payments", "critical"), "prod", flowEnabled, flowApiInstalled)).isEmpty();
    }
}
