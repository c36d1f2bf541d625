package dev.groundwork.it;

import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unchanged product costs no write: re-applying it and letting the operator resync (every 2 s here) makes
 * zero create, update, patch or delete requests, status included. Counted on the operator's own client.
 */
class NoWritesIT {
    private static final Duration RESYNC = Duration.ofSeconds(2);
    private static TestOperator operator;
    private static KubernetesClient admin;

    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: quiet
            spec:
              team: quiet-sre
              tier: critical
              environments:
                - name: prod
                - name: staging
                - name: dev
              networking:
                allowIngressFrom:
                  - product: storefront
                    ports: [8080, 8443]
                allowEgressTo:
                  - product: ledger
                allowEgressCIDRs:
                  - cidr: 203.0.113.0/24
                    ports: [443]
                  - cidr: 2001:db8::/32
              storage:
                maxTotal: 1024Gi
                maxClaims: 20
                maxClaimSize: 51200Mi
                classes: [standard-rwo, fast-rwo]
              logging:
                retentionDays: 200
                sink: audit
            """;

    @BeforeAll
    static void start() {
        operator = TestOperator.start(StandardLoader.defaults(), RESYNC);
        admin = ApiServer.client();
    }

    @AfterAll
    static void stop() {
        operator.close();
        admin.close();
    }

    @Test
    void reapplyAndResyncWriteNothing() throws InterruptedException {
        assertThat(Kubectl.apply(PRODUCT).output()).contains("productplatform.groundwork.dev/quiet created");
        TestOperator.awaitStatus(admin, "quiet", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Thread.sleep(RESYNC.toMillis());
        int mark = operator.writes().mark();
        int reconciled = operator.reconciliations("quiet");

        Kubectl.Result reapplied = Kubectl.apply(PRODUCT);
        assertThat(reapplied.output()).contains("productplatform.groundwork.dev/quiet unchanged");
        Thread.sleep(RESYNC.multipliedBy(5).toMillis());

        assertThat(operator.reconciliations("quiet") - reconciled).as("reconciliations in the window").isGreaterThanOrEqualTo(4);
        assertThat(operator.writes().writesSince(mark)).isEmpty();
        assertThat(admin.resources(dev.groundwork.api.v1alpha1.ProductPlatform.class).withName("quiet").get()
                .getStatus().drift()).isNull();
    }

    @Test
    void aRestartedOperatorWritesNothing() throws InterruptedException {
        assertThat(Kubectl.apply(PRODUCT.replace("name: quiet", "name: quiet-restart")).ok()).isTrue();
        TestOperator.awaitStatus(admin, "quiet-restart", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        operator.close();

        operator = TestOperator.start(StandardLoader.defaults(), RESYNC);
        TestOperator.awaitStatus(admin, "quiet-restart", p -> assertThat(operator.reconciliations("quiet-restart")).isPositive());
        Thread.sleep(RESYNC.multipliedBy(2).toMillis());
        assertThat(operator.writes().writes()).isEmpty();
    }
}
