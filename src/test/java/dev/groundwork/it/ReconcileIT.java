package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileIT {
    private static TestOperator operator;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        operator = TestOperator.start();
        admin = ApiServer.client();
    }

    @AfterAll
    static void stop() {
        operator.close();
        admin.close();
    }

    @Test
    void enforcedProductBecomesReadyWithItsBaseline() {
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: rc-basic
                spec:
                  team: basic-sre
                  tier: critical
                  environments:
                    - name: prod
                    - name: staging
                  networking:
                    allowIngressFrom:
                      - product: storefront
                        ports: [8080]
                    allowEgressCIDRs:
                      - cidr: 203.0.113.0/24
                        ports: [443]
                """);
        ProductPlatform ready = TestOperator.awaitStatus(admin, "rc-basic",
                p -> assertThat(Products.isTrue(p, "Ready")).as("Ready in %s", p.getStatus()).isTrue());
        assertThat(ready.getStatus().namespaces()).extracting(n -> n.name() + "=" + n.state())
                .containsExactly("rc-basic-prod=Ready", "rc-basic-staging=Ready");
        Namespace prod = admin.namespaces().withName("rc-basic-prod").get();
        assertThat(prod.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        List<NetworkPolicy> policies = admin.network().v1().networkPolicies().inNamespace("rc-basic-prod").list().getItems();
        assertThat(policies).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder(
                "groundwork-default-deny", "groundwork-allow-same-namespace", "groundwork-allow-dns",
                "groundwork-allow-ingress-controller", "groundwork-allow-monitoring", "groundwork-allow-from-products",
                "groundwork-allow-egress");
        ResourceQuota quota = admin.resourceQuotas().inNamespace("rc-basic-prod").withName("groundwork-storage").get();
        assertThat(quota.getSpec().getHard()).containsKey("requests.storage");
        System.out.println("STATUS " + ready.getStatus());
        System.out.println("LIMITS " + io.fabric8.kubernetes.client.utils.Serialization.asYaml(admin.limitRanges().inNamespace("rc-basic-prod").withName("groundwork-storage").get()));
        int mark = operator.writes().mark();
        try {
            Thread.sleep(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(operator.writes().writesSince(mark)).isEmpty();
    }
}
