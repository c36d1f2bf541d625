package dev.groundwork.it;

import dev.groundwork.kube.LabelSelectors;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Namespace identity without the chart's admission policy: a namespace someone else labelled as a product's is
 * selected by no NetworkPolicy groundwork wrote for that product's peers, because peers are named by the
 * immutable names of the namespaces groundwork manages for them. Every selector of every policy is evaluated
 * against every namespace of the cluster, as a network plugin would.
 */
class NamespaceIdentityIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();

    private static final String CALLER = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: %s
            spec:
              team: %s
              tier: critical
              environments: [{name: prod}, {name: staging}]
              networking:
                allowIngressFrom: [{product: %s, ports: [8080]}]
                allowEgressTo: [{product: %s}]
            """;
    private static final String PLAIN = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: %s
            spec:
              team: %s
              environments: [{name: prod}, {name: staging}]
            """;

    @Test
    void aNamespaceLabelledAsAPeerByAnyoneElseIsSelectedByNoPolicy() {
        KubernetesClient admin = running.admin();
        // Forged before and after the peer exists: every label groundwork writes, on a namespace it never claimed.
        forge(admin, "nid-forged-early", "nid-shop", "prod");
        Products.apply(admin, CALLER.formatted("nid-pay", "pay", "nid-shop", "nid-shop"));
        Products.apply(admin, PLAIN.formatted("nid-shop", "shop"));
        awaitReady(admin, "nid-shop");
        forge(admin, "nid-forged-late", "nid-shop", "prod");
        forge(admin, "nid-forged-staging", "nid-shop", "staging");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ProductPlatform pay = TestOperator.awaitStatus(admin, "nid-pay", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
            assertThat(Products.condition(pay, "NetworkingReady").orElseThrow().getMessage()).doesNotContain("Peer");
            assertThat(selectedBy(admin, "nid-pay-prod", "groundwork-allow-from-products")).containsExactly("nid-shop-prod");
            assertThat(selectedBy(admin, "nid-pay-prod", "groundwork-allow-egress")).containsExactly("nid-shop-prod");
            assertThat(selectedBy(admin, "nid-pay-staging", "groundwork-allow-from-products")).containsExactly("nid-shop-staging");
            assertThat(selectedBy(admin, "nid-pay-staging", "groundwork-allow-egress")).containsExactly("nid-shop-staging");
        });

        // groundwork never wrote to a forged namespace: not adopted, not released, not deleted.
        for (String forged : List.of("nid-forged-early", "nid-forged-late", "nid-forged-staging")) {
            Namespace live = admin.namespaces().withName(forged).get();
            assertThat(live.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(live.getMetadata().getAnnotations()).as(forged).doesNotContainKey("groundwork.dev/retained");
            assertThat(live.getMetadata().getManagedFields()).as(forged)
                    .noneSatisfy(field -> assertThat(field.getManager()).isEqualTo("groundwork"));
        }

        // No policy of any product, in any namespace, selects a forged namespace through a namespaceSelector.
        List<Namespace> namespaces = admin.namespaces().list().getItems();
        for (NetworkPolicy policy : admin.network().v1().networkPolicies().inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "groundwork").list().getItems()) {
            for (Namespace namespace : namespaces) {
                boolean selected = peers(policy).anyMatch(peer -> LabelSelectors.matches(peer.getNamespaceSelector(),
                        namespace.getMetadata().getLabels()));
                if (namespace.getMetadata().getName().startsWith("nid-forged")) {
                    assertThat(selected).as("%s/%s selects forged namespace %s", policy.getMetadata().getNamespace(),
                            policy.getMetadata().getName(), namespace.getMetadata().getName()).isFalse();
                }
            }
        }
    }

    @Test
    void aPeerCreatedLaterGetsItsAccessWithinFiveSecondsOfItsNamespaceAppearing() {
        KubernetesClient admin = running.admin();
        Products.apply(admin, CALLER.formatted("nid-early", "early", "nid-late", "nid-late"));
        ProductPlatform early = awaitReady(admin, "nid-early");
        assertThat(Products.condition(early, "NetworkingReady").orElseThrow().getMessage())
                .contains("Peer nid-late has no namespace for prod, staging yet");
        assertThat(admin.network().v1().networkPolicies().inNamespace("nid-early-prod")
                .withName("groundwork-allow-from-products").get()).as("no rule for a peer that has no namespace").isNull();

        Products.apply(admin, PLAIN.formatted("nid-late", "late"));
        long appeared = awaitNanos(() -> admin.namespaces().withName("nid-late-prod").get() != null);
        long allowed = awaitNanos(() -> selectedBy(admin, "nid-early-prod", "groundwork-allow-from-products")
                .contains("nid-late-prod"));
        Duration latency = Duration.ofNanos(Math.max(0, allowed - appeared));
        System.out.printf("peer access after its namespace appeared: %d ms%n", latency.toMillis());
        assertThat(latency).isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Products.condition(admin.resources(ProductPlatform.class).withName("nid-early").get(),
                        "NetworkingReady").orElseThrow().getMessage()).doesNotContain("Peer"));
    }

    private static ProductPlatform awaitReady(KubernetesClient admin, String name) {
        return TestOperator.awaitStatus(admin, name, p -> assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue());
    }

    private static long awaitNanos(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition);
        return System.nanoTime();
    }

    private static void forge(KubernetesClient admin, String name, String product, String environment) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "groundwork", "groundwork.dev/product", product,
                        "groundwork.dev/environment", environment))
                .endMetadata().build()).create();
    }

    /** The namespaces of the cluster the policy's namespaceSelectors select. */
    private static Set<String> selectedBy(KubernetesClient admin, String namespace, String name) {
        NetworkPolicy policy = admin.network().v1().networkPolicies().inNamespace(namespace).withName(name).get();
        Set<String> selected = new TreeSet<>();
        if (policy == null) {
            return selected;
        }
        for (Namespace candidate : admin.namespaces().list().getItems()) {
            if (peers(policy).anyMatch(peer -> LabelSelectors.matches(peer.getNamespaceSelector(), candidate.getMetadata().getLabels()))) {
                selected.add(candidate.getMetadata().getName());
            }
        }
        return selected;
    }

    private static Stream<NetworkPolicyPeer> peers(NetworkPolicy policy) {
        Stream<NetworkPolicyPeer> from = policy.getSpec().getIngress() == null ? Stream.empty()
                : policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream());
        Stream<NetworkPolicyPeer> to = policy.getSpec().getEgress() == null ? Stream.empty()
                : policy.getSpec().getEgress().stream().flatMap(rule -> rule.getTo().stream());
        return Stream.concat(from, to).filter(peer -> peer.getNamespaceSelector() != null);
    }
}
