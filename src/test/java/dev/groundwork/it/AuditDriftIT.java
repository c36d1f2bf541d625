package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audit mode reports what Enforce would repair and writes nothing into the namespace; switching back to Enforce
 * repairs everything reported.
 */
class AuditDriftIT {
    private static final String NS = "audited-prod";
    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(5));

    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: audited
            spec:
              team: audit-sre
              tier: critical
              mode: %s
              environments:
                - name: prod
            """;



    @Test
    void auditReportsWithoutWritingAndEnforceRepairs() {
        Products.apply(running.admin(), PRODUCT.formatted("Enforce"));
        TestOperator.awaitStatus(running.admin(), "audited", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Products.apply(running.admin(), PRODUCT.formatted("Audit"));
        TestOperator.awaitStatus(running.admin(), "audited", p -> assertThat(p.getStatus().observedGeneration()).isEqualTo(2L));
        int mark = running.operator().writes().mark();

        assertThat(Kubectl.run("delete", "networkpolicy", "groundwork-allow-dns", "-n", NS).ok()).isTrue();
        assertThat(Kubectl.run("patch", "resourcequota", "groundwork-storage", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"hard\":{\"requests.storage\":\"10Ti\"}}}").ok()).isTrue();
        assertThat(Kubectl.run("label", "namespace", NS, "pod-security.kubernetes.io/enforce=privileged", "--overwrite").ok()).isTrue();

        ProductPlatform reported = TestOperator.awaitStatus(running.admin(), "audited", p -> {
            assertThat(p.getStatus().drift().recent()).filteredOn(r -> r.action() == DriftAction.Reported).hasSize(3);
            assertThat(Products.reason(p, "InSync")).isEqualTo("DriftReported");
        });
        List<DriftRecord> records = reported.getStatus().drift().recent();
        assertThat(records).filteredOn(r -> r.action() == DriftAction.Reported)
                .extracting(DriftRecord::object, DriftRecord::change, DriftRecord::changedBy)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("NetworkPolicy " + NS + "/groundwork-allow-dns", DriftChange.Missing, null),
                        org.assertj.core.groups.Tuple.tuple("ResourceQuota " + NS + "/groundwork-storage", DriftChange.Modified, "kubectl-patch"),
                        org.assertj.core.groups.Tuple.tuple("Namespace " + NS, DriftChange.Modified, "kubectl-label"));
        assertThat(Products.condition(reported, "InSync").orElseThrow().getMessage())
                .contains("NetworkPolicy audited-prod/groundwork-allow-dns (missing)")
                .contains("ResourceQuota audited-prod/groundwork-storage (spec.hard.requests.storage)")
                .contains("Namespace audited-prod (metadata.labels.pod-security.kubernetes.io/enforce)");
        assertThat(Products.reason(reported, "NetworkingReady")).isEqualTo("DriftReported");
        assertThat(Products.reason(reported, "StorageReady")).isEqualTo("DriftReported");
        assertThat(Products.reason(reported, "Ready")).isEqualTo("DriftReported");
        assertThat(DriftIT.events(running.admin(), "audited", "DriftDetected")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(DriftIT.events(running.admin(), "audited", "DriftRepaired")).isEmpty();

        // Several resyncs later: still nothing written into the namespace, and the drift counted once.
        await().pollDelay(Duration.ofSeconds(11)).atMost(Duration.ofSeconds(12)).until(() -> true);
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/" + NS)).isEmpty();
        assertThat(running.admin().resources(ProductPlatform.class).withName("audited").get().getStatus().drift().detectedTotal())
                .isEqualTo(reported.getStatus().drift().detectedTotal());

        Products.apply(running.admin(), PRODUCT.formatted("Enforce"));
        TestOperator.awaitStatus(running.admin(), "audited", p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(3L);
            assertThat(Products.isTrue(p, "Ready")).isTrue();
            assertThat(Products.isTrue(p, "InSync")).isTrue();
        });
        assertThat(running.admin().network().v1().networkPolicies().inNamespace(NS).withName("groundwork-allow-dns").get()).isNotNull();
        assertThat(running.admin().resourceQuotas().inNamespace(NS).withName("groundwork-storage").get().getSpec().getHard()
                .get("requests.storage").toString()).isEqualTo("500Gi");
        assertThat(running.admin().namespaces().withName(NS).get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }
}
