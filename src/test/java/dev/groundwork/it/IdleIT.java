package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** No false drift, ever: a product left alone for 5 minutes, resynced every 30 s, reports no drift and costs no write. */
class IdleIT {
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration ALONE = Duration.ofMinutes(5);
    private static TestOperator operator;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        admin = ApiServer.client();
        DriftIT.installFlowApi(admin);
        operator = TestOperator.start(dev.groundwork.standard.StandardLoader.defaults(), RESYNC);
    }

    @AfterAll
    static void stop() {
        operator.close();
        admin.close();
    }

    @Test
    void aProductLeftAloneReportsNoDriftAndCausesNoWrite() throws InterruptedException {
        for (String tier : new String[]{"critical", "standard", "sandbox"}) {
            Products.apply(admin, """
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
            TestOperator.awaitStatus(admin, "idle-" + tier, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        }
        Thread.sleep(2000);
        int mark = operator.writes().mark();
        int reconciled = operator.reconciliations("idle-critical");

        Thread.sleep(ALONE.toMillis());

        System.out.printf("left alone %s: %d reconciliations of idle-critical, %d writes%n", ALONE,
                operator.reconciliations("idle-critical") - reconciled, operator.writes().writesSince(mark).size());
        assertThat(operator.reconciliations("idle-critical") - reconciled).isGreaterThanOrEqualTo(
                (int) (ALONE.toSeconds() / RESYNC.toSeconds()) - 1);
        assertThat(operator.writes().writesSince(mark)).isEmpty();
        for (String tier : new String[]{"critical", "standard", "sandbox"}) {
            ProductPlatform product = admin.resources(ProductPlatform.class).withName("idle-" + tier).get();
            assertThat(product.getStatus().drift()).as("drift of idle-%s", tier).isNull();
            assertThat(Products.isTrue(product, "InSync")).isTrue();
        }
    }
}
