package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An apply the API server refuses for a while (here a ValidatingAdmissionPolicy, as a site's own admission would) is
 * reported as ApplyFailed with the server's message and applied again by a reschedule with backoff, well before the
 * 10-minute resync and without any watch event on the object (it does not exist while refused).
 */
class ApplyRetryIT {
    private static final String POLICY = "gw-test-refuse-quotas";
    /** A namespace of no product where the test sees whether the policy is being enforced. */
    private static final String PROBE = "retry-probe";

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofMinutes(10));

    @Test
    void aRefusedApplyIsReportedAndRepairedWithinSecondsOfTheRefusalEnding() throws Exception {
        KubernetesClient admin = running.admin();
        refuseQuotas(admin);
        try {
            Products.apply(admin, """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: retry
                    spec:
                      team: retry
                      environments: [{name: prod}]
                    """);
            ProductPlatform refused = TestOperator.awaitStatus(admin, "retry",
                    p -> assertThat(Products.reason(p, "StorageReady")).isEqualTo("ApplyFailed"));
            assertThat(Products.condition(refused, "StorageReady").orElseThrow().getMessage())
                    .startsWith("Could not apply ResourceQuota retry-prod/groundwork-storage: ")
                    .contains("quotas are refused for a while by the test");
            assertThat(Products.reason(refused, "Ready")).isEqualTo("ApplyFailed");
            assertThat(Products.reason(refused, "InSync")).isEqualTo("ApplyFailed");
            // Refused for a few seconds more, so the retry backs off past its first steps.
            Thread.sleep(5_000);
        } finally {
            admin.resources(ValidatingAdmissionPolicyBinding.class).withName(POLICY).delete();
            admin.resources(ValidatingAdmissionPolicy.class).withName(POLICY).delete();
        }
        long ended = awaitRefusalEnded(admin);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.resourceQuotas().inNamespace("retry-prod").withName("groundwork-storage").get() != null);
        Duration repaired = Duration.ofNanos(System.nanoTime() - ended);
        System.out.printf("applied %d ms after the refusal ended%n", repaired.toMillis());
        assertThat(repaired).isLessThan(Duration.ofSeconds(15));
        TestOperator.awaitStatus(admin, "retry", p -> {
            assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue();
            assertThat(Products.isTrue(p, "InSync")).isTrue();
        });
    }

    private static void refuseQuotas(KubernetesClient admin) {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(PROBE)
                .endMetadata().build()).serverSideApply();
        admin.resource(new io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder()
                .withNewMetadata().withName(POLICY).endMetadata()
                .withNewSpec().withFailurePolicy("Fail")
                .withNewMatchConstraints().addNewResourceRule().withApiGroups("").withApiVersions("v1")
                .withOperations("CREATE", "UPDATE").withResources("resourcequotas").endResourceRule().endMatchConstraints()
                .addNewValidation().withExpression("!object.metadata.namespace.startsWith('retry-')")
                .withMessage("quotas are refused for a while by the test").endValidation()
                .endSpec().build()).serverSideApply();
        admin.resource(new io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata().withName(POLICY).endMetadata()
                .withNewSpec().withPolicyName(POLICY).withValidationActions(List.of("Deny")).endSpec().build()).serverSideApply();
        // The API server takes a moment to start enforcing a new policy.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !admitted(admin));
    }

    /** @return System.nanoTime() when a quota in the namespace is admitted again */
    private static long awaitRefusalEnded(KubernetesClient admin) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> admitted(admin));
        return System.nanoTime();
    }

    private static boolean admitted(KubernetesClient admin) {
        try {
            admin.resource(new ResourceQuotaBuilder().withNewMetadata().withName("probe").withNamespace(PROBE).endMetadata()
                    .withNewSpec().addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity("1")).endSpec().build())
                    .dryRun().create();
            return true;
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
