package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Optional APIs installed after the operator started take effect without a restart: the kube-logging Flow (Flows
 * written, LoggingReady FlowApplied) and OpenReports (a Report per environment namespace, fail while drift is
 * outstanding, pass after the repair, no write while nothing changes).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OptionalApisIT {
    static final ResourceDefinitionContext REPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("openreports.io").withVersion("v1alpha1").withKind("Report").withPlural("reports")
            .withNamespaced(true).build();

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofMinutes(10)).withoutOptionalApis();

    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: %s
            spec:
              team: optional-sre
              tier: critical
              environments:
                - name: prod
                - name: staging
              networking:
                mode: %s
            """;

    @AfterAll
    static void removeReportsApi() {
        try (KubernetesClient admin = ApiServer.client()) {
            OptionalCrds.remove(admin, "reports.openreports.io");
        }
    }

    private static GenericKubernetesResource report(String namespace) {
        return running.admin().genericKubernetesResources(REPORTS).inNamespace(namespace).withName("groundwork").get();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(GenericKubernetesResource report) {
        return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    }

    @Test
    @Order(1)
    void theFlowApiInstalledAfterStartIsManagedWithoutARestart() throws Exception {
        Products.apply(running.admin(), PRODUCT.formatted("optional", "Enforce"));
        ProductPlatform before = TestOperator.awaitStatus(running.admin(), "optional", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        assertThat(Products.reason(before, "LoggingReady")).isEqualTo("LogPipelineMissing");

        Instant installed = Instant.now();
        OptionalCrds.install(running.admin(), "/crds/flows.logging.banzaicloud.io.yaml");
        ProductPlatform after = TestOperator.awaitStatus(running.admin(), "optional",
                p -> assertThat(Products.reason(p, "LoggingReady")).isEqualTo("FlowApplied"));
        System.out.printf("optional APIs: Flow CRD installed, LoggingReady FlowApplied after %d ms%n",
                Duration.between(installed, Instant.now()).toMillis());
        assertThat(Products.isTrue(after, "Ready")).isTrue();
        for (String ns : List.of("optional-prod", "optional-staging")) {
            assertThat(running.admin().genericKubernetesResources(DriftIT.FLOW).inNamespace(ns).withName("groundwork-logging").get())
                    .as("Flow in %s", ns).isNotNull();
        }
    }

    @Test
    @Order(2)
    void theOpenReportsApiInstalledAfterStartGetsAReportPerNamespaceThatFollowsDrift() throws Exception {
        Instant installed = Instant.now();
        OptionalCrds.install(running.admin(), "/crds/reports.openreports.io.yaml");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            assertThat(report("optional-prod")).isNotNull();
            assertThat(report("optional-staging")).isNotNull();
        });
        long took = Duration.between(installed, Instant.now()).toMillis();
        System.out.printf("optional APIs: OpenReports CRD installed, both Reports written after %d ms%n", took);
        assertThat(took).isLessThan(60_000);

        GenericKubernetesResource prod = report("optional-prod");
        assertThat(prod.getAdditionalProperties()).containsEntry("source", "groundwork");
        assertThat(prod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "groundwork")
                .containsEntry("groundwork.dev/product", "optional").containsEntry("groundwork.dev/environment", "prod");
        List<Map<String, Object>> results = results(prod);
        // critical: Namespace, 7 NetworkPolicies, quota, limits, RoleBinding? and the Flow: one result per baseline object.
        ProductPlatform product = running.admin().resources(ProductPlatform.class).withName("optional").get();
        assertThat(results).hasSize(product.getStatus().managedResources() / 2);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.get("result")).isEqualTo("pass");
            assertThat(r.get("severity")).isEqualTo("high");
        });
        assertThat(results).extracting(r -> r.get("policy")).contains("namespaces", "networking", "storage", "logging");
        assertThat(results).extracting(r -> r.get("rule")).contains("NetworkPolicy optional-prod/groundwork-default-deny");
        assertThat((Map<String, Object>) prod.getAdditionalProperties().get("summary"))
                .containsEntry("pass", results.size()).containsEntry("fail", 0);

        // A drift (reported: networking in Audit) turns the result to fail, with what, who and since.
        Products.apply(running.admin(), PRODUCT.formatted("optional", "Audit"));
        TestOperator.awaitStatus(running.admin(), "optional", p -> assertThat(p.getStatus().observedGeneration()).isEqualTo(2L));
        assertThat(Kubectl.run("patch", "networkpolicy", "groundwork-allow-monitoring", "-n", "optional-prod", "--type=json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/policyTypes\",\"value\":[\"Egress\"]}]").ok()).isTrue();
        String rule = "NetworkPolicy optional-prod/groundwork-allow-monitoring";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Object> failed = results(report("optional-prod")).stream().filter(r -> rule.equals(r.get("rule")))
                    .findFirst().orElseThrow();
            assertThat(failed.get("result")).isEqualTo("fail");
            assertThat((Map<String, String>) failed.get("properties")).containsEntry("change", "Modified")
                    .containsEntry("changedBy", "kubectl-patch").containsKey("since").containsKey("fields");
        });
        System.out.println("optional APIs: drift turned " + rule + " to fail: " + results(report("optional-prod")).stream()
                .filter(r -> rule.equals(r.get("rule"))).findFirst().orElseThrow());
        assertThat((Map<String, Object>) report("optional-prod").getAdditionalProperties().get("summary")).containsEntry("fail", 1);

        // Enforce again: repaired, and back to pass.
        Products.apply(running.admin(), PRODUCT.formatted("optional", "Enforce"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(results(report("optional-prod"))).allSatisfy(r -> assertThat(r.get("result")).isEqualTo("pass")));
        TestOperator.awaitStatus(running.admin(), "optional", p -> assertThat(Products.isTrue(p, "InSync")).isTrue());

        // A quiet minute: no Report written.
        int mark = running.operator().writes().mark();
        await().pollDelay(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(61)).until(() -> true);
        // Only this test's product counts: products other classes left in the shared API server may still have
        // work due (a repair backed off by FighterIT's fight, say), which is not a quiet product's business.
        List<String> ours = running.operator().writes().writesSince(mark).stream().filter(w -> w.contains("optional")).toList();
        List<String> reportWrites = ours.stream().filter(w -> w.contains("/reports")).toList();
        System.out.printf("optional APIs: %d Report writes (%d writes in all) in a quiet minute%n", reportWrites.size(), ours.size());
        assertThat(reportWrites).isEmpty();
        assertThat(ours).isEmpty();
    }
}
