package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** No false drift, ever: a product left alone for 5 minutes, resynced every 30 s, reports no drift and costs no write. */
class IdleIT {
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration ALONE = Duration.ofMinutes(5);
    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(RESYNC).withFlowApi();



    @Test
    void aProductLeftAloneReportsNoDriftAndCausesNoWrite() throws InterruptedException {
        for (String tier : new String[]{"critical", "standard", "sandbox"}) {
            Products.apply(running.admin(), """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: idle-%s
                    spec:
                      team: idle
                      tier: %s
                      environments:
                        - name: prod
                        - name: staging
                      networking:
                        allowIngressFrom:
                          - product: storefront
                            ports: [8080, 8443]
                        allowEgressTo:
                          - product: ledger
                        allowEgressCIDRs:
                          - cidr: 203.0.113.0/24
                            ports: [443]
                      storage:
                        maxTotal: 10240Mi
                        maxClaims: 5
                        maxClaimSize: 2Gi
                    """.formatted(tier, tier));
            TestOperator.awaitStatus(running.admin(), "idle-" + tier, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        }
        Thread.sleep(2000);
        int mark = running.operator().writes().mark();
        int reconciled = running.operator().reconciliations("idle-critical");

        Thread.sleep(ALONE.toMillis());

        System.out.printf("left alone %s: %d reconciliations of idle-critical, %d writes%n", ALONE,
                running.operator().reconciliations("idle-critical") - reconciled, running.operator().writes().writesSince(mark).size());
        assertThat(running.operator().reconciliations("idle-critical") - reconciled).isGreaterThanOrEqualTo(
                (int) (ALONE.toSeconds() / RESYNC.toSeconds()) - 1);
        assertThat(running.operator().writes().writesSince(mark)).isEmpty();
        for (String tier : new String[]{"critical", "standard", "sandbox"}) {
            ProductPlatform product = running.admin().resources(ProductPlatform.class).withName("idle-" + tier).get();
            assertThat(product.getStatus().drift()).as("drift of idle-%s", tier).isNull();
            assertThat(Products.isTrue(product, "InSync")).isTrue();
        }
    }
}
