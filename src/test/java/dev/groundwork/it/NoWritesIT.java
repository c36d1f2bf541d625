package dev.groundwork.it;

import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unchanged product costs no write: re-applying it and letting the operator resync (every 2 s here) makes
 * zero create, update, patch or delete requests, status included. Counted on the operator's own client.
 */
class NoWritesIT {
    private static final Duration RESYNC = Duration.ofSeconds(2);
    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(RESYNC);

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



    @Test
    void reapplyAndResyncWriteNothing() throws InterruptedException {
        assertThat(Kubectl.apply(PRODUCT).output()).contains("productplatform.groundwork.dev/quiet created");
        TestOperator.awaitStatus(running.admin(), "quiet", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Thread.sleep(RESYNC.toMillis());
        int mark = running.operator().writes().mark();
        int reconciled = running.operator().reconciliations("quiet");

        Kubectl.Result reapplied = Kubectl.apply(PRODUCT);
        assertThat(reapplied.output()).contains("productplatform.groundwork.dev/quiet unchanged");
        Thread.sleep(RESYNC.multipliedBy(5).toMillis());

        assertThat(running.operator().reconciliations("quiet") - reconciled).as("reconciliations in the window").isGreaterThanOrEqualTo(4);
        assertThat(running.operator().writes().writesSince(mark)).isEmpty();
        assertThat(running.admin().resources(dev.groundwork.api.v1alpha1.ProductPlatform.class).withName("quiet").get()
                .getStatus().drift()).isNull();
    }

    @Test
    void aRestartedOperatorWritesNothing() throws InterruptedException {
        assertThat(Kubectl.apply(PRODUCT.replace("name: quiet", "name: quiet-restart")).ok()).isTrue();
        TestOperator.awaitStatus(running.admin(), "quiet-restart", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        TestOperator restarted = running.restart();
        TestOperator.awaitStatus(running.admin(), "quiet-restart", p -> assertThat(restarted.reconciliations("quiet-restart")).isPositive());
        Thread.sleep(RESYNC.multipliedBy(2).toMillis());
        assertThat(restarted.writes().writes()).isEmpty();
    }
}
