package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec changes touch exactly the objects they concern: each step compares the resourceVersion of every object
 * of the product before and after, so an object rewritten without need fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpecChangesIT {
    private static final String NAME = "chg";
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();

    private static final String BASE = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: chg
            spec:
              team: change
              tier: critical
              environments:
                - name: prod
                - name: staging
              networking:
                allowIngressFrom:
                  - product: chg-shop
                    ports: [8080]
                  - product: chg-ledger
                allowEgressCIDRs:
                  - cidr: 203.0.113.0/24
                    ports: [443]
              storage:
                maxTotal: 200Gi
                maxClaims: 20
                maxClaimSize: 50Gi
              logging:
                retentionDays: 30
            """;

    @BeforeAll
    static void start() {
        // The peers exist first, so every peer has a rule from the start (a peer with no namespace has none).
        for (String peer : new String[]{"chg-shop", "chg-ledger"}) {
            Products.apply(running.admin(), """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: %s
                    spec:
                      team: %s
                      environments: [{name: prod}, {name: staging}]
                    """.formatted(peer, peer));
            TestOperator.awaitStatus(running.admin(), peer, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        }
        apply(BASE);
    }


    private static ProductPlatform apply(String yaml) {
        ProductPlatform applied = Products.apply(running.admin(), yaml);
        long generation = applied.getMetadata().getGeneration();
        return TestOperator.awaitStatus(running.admin(), NAME, p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(generation);
            assertThat(Products.isTrue(p, "Ready")).as("Ready in %s", p.getStatus()).isTrue();
        });
    }

    /** resourceVersion of every object labelled for the product, by "Kind namespace/name". */
    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        String selector = "groundwork.dev/product";
        Stream.<HasMetadata>concat(
                Stream.concat(running.admin().namespaces().withLabel(selector, NAME).list().getItems().stream(),
                        running.admin().network().v1().networkPolicies().inAnyNamespace().withLabel(selector, NAME).list().getItems().stream()),
                Stream.concat(Stream.concat(running.admin().resourceQuotas().inAnyNamespace().withLabel(selector, NAME).list().getItems().stream(),
                        running.admin().limitRanges().inAnyNamespace().withLabel(selector, NAME).list().getItems().stream()),
                        running.admin().rbac().roleBindings().inAnyNamespace().withLabel(selector, NAME).list().getItems().stream()))
                .forEach(o -> versions.put(o.getKind() + " " + (o.getMetadata().getNamespace() == null ? ""
                        : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        return versions;
    }

    private static Map<String, String> changed(Map<String, String> before, Map<String, String> after) {
        Map<String, String> changed = new TreeMap<>();
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) {
                changed.put(k, "deleted");
            } else if (!after.get(k).equals(v)) {
                changed.put(k, "updated");
            }
        });
        after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(k -> changed.put(k, "created"));
        return changed;
    }

    @Test
    @Order(1)
    void removingAPeerRewritesOnlyThePeerPolicies() {
        Map<String, String> before = versions();
        apply(BASE.replace("      - product: chg-ledger\n", ""));
        assertThat(changed(before, versions())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "NetworkPolicy chg-prod/groundwork-allow-from-products", "updated",
                "NetworkPolicy chg-staging/groundwork-allow-from-products", "updated"));
        NetworkPolicy policy = running.admin().network().v1().networkPolicies().inNamespace("chg-prod")
                .withName("groundwork-allow-from-products").get();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(
                rule.getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .containsEntry("groundwork.dev/product", "chg-shop").containsEntry("groundwork.dev/environment", "prod"));
    }

    @Test
    @Order(2)
    void removingEveryPeerAndCidrPrunesTheirPolicies() {
        Map<String, String> before = versions();
        apply(BASE.replace("""
                  allowIngressFrom:
                    - product: chg-shop
                      ports: [8080]
                    - product: chg-ledger
                  allowEgressCIDRs:
                    - cidr: 203.0.113.0/24
                      ports: [443]
                """.indent(2).stripTrailing() + "\n", ""));
        assertThat(changed(before, versions())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "NetworkPolicy chg-prod/groundwork-allow-from-products", "deleted",
                "NetworkPolicy chg-staging/groundwork-allow-from-products", "deleted",
                "NetworkPolicy chg-prod/groundwork-allow-egress", "deleted",
                "NetworkPolicy chg-staging/groundwork-allow-egress", "deleted"));
    }

    @Test
    @Order(3)
    void shrinkingTheQuotaRewritesOnlyStorageObjects() {
        String noPeers = running.admin().resources(ProductPlatform.class).withName(NAME).get().getSpec().networking() == null
                ? "" : "unexpected";
        assertThat(noPeers).isEmpty();
        Map<String, String> before = versions();
        apply(BASE.replaceAll("(?s)  networking:.*?  storage:", "  storage:")
                .replace("maxTotal: 200Gi", "maxTotal: 100Gi").replace("maxClaimSize: 50Gi", "maxClaimSize: 10Gi"));
        assertThat(changed(before, versions())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ResourceQuota chg-prod/groundwork-storage", "updated",
                "ResourceQuota chg-staging/groundwork-storage", "updated",
                "LimitRange chg-prod/groundwork-storage", "updated",
                "LimitRange chg-staging/groundwork-storage", "updated"));
        assertThat(running.admin().resourceQuotas().inNamespace("chg-prod").withName("groundwork-storage").get()
                .getSpec().getHard().get("requests.storage").toString()).isEqualTo("100Gi");
    }

    @Test
    @Order(4)
    void changingTheTierRewritesNamespacesAndTheEgressPolicies() {
        String critical = BASE.replaceAll("(?s)  networking:.*?  storage:", "  storage:")
                .replace("maxTotal: 200Gi", "maxTotal: 100Gi").replace("maxClaimSize: 50Gi", "maxClaimSize: 10Gi");
        Map<String, String> before = versions();
        apply(critical.replace("tier: critical", "tier: standard"));
        // critical denies egress and enforces "restricted"; standard allows egress (no Egress policy at all)
        // and enforces "baseline".
        assertThat(changed(before, versions())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Namespace chg-prod", "updated",
                "Namespace chg-staging", "updated",
                "NetworkPolicy chg-prod/groundwork-default-deny", "updated",
                "NetworkPolicy chg-staging/groundwork-default-deny", "updated",
                "NetworkPolicy chg-prod/groundwork-allow-same-namespace", "updated",
                "NetworkPolicy chg-staging/groundwork-allow-same-namespace", "updated",
                "NetworkPolicy chg-prod/groundwork-allow-dns", "deleted",
                "NetworkPolicy chg-staging/groundwork-allow-dns", "deleted"));
        Namespace prod = running.admin().namespaces().withName("chg-prod").get();
        assertThat(prod.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "baseline")
                .containsEntry("groundwork.dev/tier", "standard");
        assertThat(running.admin().network().v1().networkPolicies().inNamespace("chg-prod").withName("groundwork-default-deny").get()
                .getSpec().getPolicyTypes()).containsExactly("Ingress");
    }

    @Test
    @Order(5)
    void removingAnEnvironmentRetainsItsNamespaceUnmanaged() {
        String standard = BASE.replaceAll("(?s)  networking:.*?  storage:", "  storage:")
                .replace("maxTotal: 200Gi", "maxTotal: 100Gi").replace("maxClaimSize: 50Gi", "maxClaimSize: 10Gi")
                .replace("tier: critical", "tier: standard");
        Map<String, String> before = versions();
        ProductPlatform product = apply(standard.replace("    - name: staging\n", ""));
        Map<String, String> changed = changed(before, versions());
        assertThat(changed).allSatisfy((k, v) -> assertThat(k).contains("chg-staging"));
        // the namespace, 4 NetworkPolicies of a tier that allows egress, the quota, the limits and the team's binding
        assertThat(changed).hasSize(8);
        assertThat(changed).containsEntry("RoleBinding chg-staging/groundwork-team", "updated");
        Namespace staging = running.admin().namespaces().withName("chg-staging").get();
        assertThat(staging.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by")
                .containsEntry("groundwork.dev/product", "chg");
        assertThat(staging.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained");
        assertThat(running.admin().network().v1().networkPolicies().inNamespace("chg-staging").list().getItems()).hasSize(4)
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by"));
        assertThat(product.getStatus().namespaces()).extracting(n -> n.name() + "=" + n.state())
                .containsExactly("chg-prod=" + NamespaceState.Ready, "chg-staging=" + NamespaceState.Retained);
    }
}
