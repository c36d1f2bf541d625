package dev.groundwork.baseline;

import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_DNS;
import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_EGRESS;
import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_FROM_PRODUCTS;
import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_INGRESS_CONTROLLER;
import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_MONITORING;
import static dev.groundwork.baseline.NetworkingBaseline.ALLOW_SAME_NAMESPACE;
import static dev.groundwork.baseline.NetworkingBaseline.DEFAULT_DENY;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkingBaselineTest {
    private static final List<String> ALWAYS = List.of(DEFAULT_DENY, ALLOW_SAME_NAMESPACE, ALLOW_DNS,
            ALLOW_INGRESS_CONTROLLER, ALLOW_MONITORING);

    /** Every peer the tests name has a namespace groundwork manages, <peer>-<environment>, in prod and staging. */
    private static final PeerNamespaces PEERS = new PeerNamespaces(Map.of(
            "storefront", Map.of("prod", "storefront-prod", "staging", "storefront-staging"),
            "backoffice", Map.of("prod", "backoffice-prod", "staging", "backoffice-staging"),
            "ledger", Map.of("prod", "ledger-prod", "staging", "ledger-staging"),
            "fraud", Map.of("prod", "fraud-prod", "staging", "fraud-staging")));

    private static List<NetworkPolicy> build(ResolvedProduct product, String environment) {
        return build(product, environment, PEERS);
    }

    private static List<NetworkPolicy> build(ResolvedProduct product, String environment, PeerNamespaces peers) {
        return NetworkingBaseline.build(product, Fixtures.environment(product, environment), Fixtures.STANDARD, peers);
    }

    private static NetworkPolicy policy(ResolvedProduct product, String environment, String name) {
        return Fixtures.named(build(product, environment), name);
    }

    private static ResolvedProduct withNetworking(String tier, String networkingYaml) {
        return Fixtures.resolve("payments", """
                team: payments-sre
                tier: %s
                environments: [{name: prod}, {name: staging}]
                networking:
                %s""".formatted(tier, networkingYaml.stripTrailing().indent(2)));
    }

    private static NetworkPolicyPort tcp(int port) {
        return port("TCP", port);
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        NetworkPolicyPort p = new NetworkPolicyPort();
        p.setProtocol(protocol);
        p.setPort(new IntOrString(port));
        return p;
    }

    private static LabelSelector selector(Map<String, String> labels) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(labels);
        return selector;
    }

    private static NetworkPolicyPeer productPeer(String product, String environment) {
        return productPeer(product, environment, product + "-" + environment);
    }

    private static NetworkPolicyPeer productPeer(String product, String environment, String namespace) {
        LabelSelector selector = selector(Map.of("groundwork.dev/product", product,
                "groundwork.dev/environment", environment));
        selector.setMatchExpressions(List.of(new LabelSelectorRequirement("kubernetes.io/metadata.name", "In",
                List.of(namespace))));
        NetworkPolicyPeer peer = new NetworkPolicyPeer();
        peer.setNamespaceSelector(selector);
        return peer;
    }

    private static NetworkPolicyPeer namespaceNamed(String namespace) {
        NetworkPolicyPeer peer = new NetworkPolicyPeer();
        peer.setNamespaceSelector(selector(Map.of("kubernetes.io/metadata.name", namespace)));
        return peer;
    }

    @Test
    void withoutDeclarationsOnlyTheFivePoliciesEveryNamespaceGets() {
        List<NetworkPolicy> policies = build(Fixtures.minimal("payments", "critical"), "prod");

        assertThat(policies).extracting(p -> p.getMetadata().getName()).containsExactlyElementsOf(ALWAYS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "sandbox"})
    void withoutDeclarationsTheIngressSideIsTheSameInEveryTier(String tier) {
        List<NetworkPolicy> policies = build(Fixtures.minimal("payments", tier), "prod");

        assertThat(policies).extracting(p -> p.getMetadata().getName())
                .contains(DEFAULT_DENY, ALLOW_SAME_NAMESPACE, ALLOW_INGRESS_CONTROLLER, ALLOW_MONITORING)
                .isSubsetOf(ALWAYS);
    }

    /*
     * BUG in src/main (NetworkingBaseline.build): groundwork-allow-dns (and groundwork-allow-egress when declared) is
     * written with policyTypes [Egress] in every tier. A pod is isolated for egress as soon as ANY NetworkPolicy that
     * selects it has "Egress" in its policyTypes, so in the standard and sandbox tiers (egress: allow) every pod ends up
     * able to reach only DNS (and the declared peers/CIDRs): not even pods of its own namespace, since
     * groundwork-allow-same-namespace only has an egress rule when the tier denies egress. The tier's "egress: allow"
     * is silently turned into a deny. Correct behaviour: when the tier allows egress, no policy carries Egress.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "sandbox"})
    void whenTheTierAllowsEgressNoPolicyIsolatesPodsForEgress(String tier) {
        List<String> egressIsolating = Stream.of(Fixtures.minimal("payments", tier), Fixtures.everything("payments", tier))
                .flatMap(product -> build(product, "prod").stream())
                .filter(p -> p.getSpec().getPolicyTypes().contains("Egress"))
                .map(p -> p.getMetadata().getName())
                .distinct()
                .toList();

        assertThat(egressIsolating)
                .as("policies with policyTypes Egress isolate every pod for egress, but tier %s allows egress", tier)
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "critical; Ingress,Egress",
            "standard; Ingress",
            "sandbox;  Ingress",
    })
    void defaultDenyCoversEgressOnlyWhenTheTierDeniesIt(String tier, String policyTypes) {
        NetworkPolicy deny = policy(Fixtures.minimal("payments", tier), "prod", DEFAULT_DENY);

        assertThat(deny.getSpec().getPolicyTypes()).containsExactly(policyTypes.split(","));
        assertThat(deny.getSpec().getPodSelector()).isEqualTo(new LabelSelector());
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "sandbox"})
    void sameNamespaceIngressWhenEgressIsAllowed(String tier) {
        NetworkPolicy same = policy(Fixtures.minimal("payments", tier), "prod", ALLOW_SAME_NAMESPACE);

        assertThat(same.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(same.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getPodSelector()).isEqualTo(new LabelSelector());
                assertThat(peer.getNamespaceSelector()).isNull();
            });
            assertThat(rule.getPorts()).isNullOrEmpty();
        });
        assertThat(same.getSpec().getEgress()).isNullOrEmpty();
    }

    @Test
    void sameNamespaceIngressAndEgressWhenTheTierDeniesEgress() {
        NetworkPolicy same = policy(Fixtures.minimal("payments", "critical"), "prod", ALLOW_SAME_NAMESPACE);

        assertThat(same.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        NetworkPolicyPeer sameNamespace = new NetworkPolicyPeer();
        sameNamespace.setPodSelector(new LabelSelector());
        assertThat(same.getSpec().getIngress()).singleElement()
                .satisfies(rule -> assertThat(rule.getFrom()).containsExactly(sameNamespace));
        assertThat(same.getSpec().getEgress()).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).containsExactly(sameNamespace);
            assertThat(rule.getPorts()).isNullOrEmpty();
        });
    }

    @Test
    void dnsOverUdpAndTcpToTheStandardsDnsPodsWhenEgressIsDenied() {
        NetworkPolicy dns = policy(Fixtures.minimal("payments", "critical"), "prod", ALLOW_DNS);

        assertThat(dns.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(dns.getSpec().getIngress()).isNullOrEmpty();
        NetworkPolicyEgressRule rule = dns.getSpec().getEgress().get(0);
        assertThat(dns.getSpec().getEgress()).hasSize(1);
        assertThat(rule.getPorts()).containsExactly(port("UDP", 53), port("TCP", 53));
        assertThat(rule.getTo()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).isEqualTo(selector(Map.of("kubernetes.io/metadata.name", "kube-system")));
            assertThat(peer.getPodSelector()).isEqualTo(selector(Map.of("k8s-app", "kube-dns")));
        });
    }

    @Test
    void dnsLocationComesFromTheStandard() {
        Standard standard = Fixtures.withDns(Fixtures.STANDARD, new Standard.Dns("dns-system", Map.of("app", "coredns")));
        ResolvedProduct product = Fixtures.minimal("payments", "critical");

        NetworkPolicy dns = Fixtures.named(
                NetworkingBaseline.build(product, Fixtures.environment(product, "prod"), standard, PEERS), ALLOW_DNS);

        NetworkPolicyPeer peer = dns.getSpec().getEgress().get(0).getTo().get(0);
        assertThat(peer.getNamespaceSelector()).isEqualTo(selector(Map.of("kubernetes.io/metadata.name", "dns-system")));
        assertThat(peer.getPodSelector()).isEqualTo(selector(Map.of("app", "coredns")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void ingressControllerAndMonitoringNamespacesMayCallIn(String tier) {
        ResolvedProduct product = Fixtures.minimal("payments", tier);

        NetworkPolicy ingressController = policy(product, "prod", ALLOW_INGRESS_CONTROLLER);
        NetworkPolicy monitoring = policy(product, "prod", ALLOW_MONITORING);

        assertThat(ingressController.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(ingressController.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).containsExactly(namespaceNamed("ingress-nginx"));
            assertThat(rule.getPorts()).isNullOrEmpty();
        });
        assertThat(ingressController.getSpec().getEgress()).isNullOrEmpty();

        assertThat(monitoring.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(monitoring.getSpec().getIngress()).singleElement()
                .satisfies(rule -> assertThat(rule.getFrom()).containsExactly(namespaceNamed("monitoring")));
        assertThat(monitoring.getSpec().getEgress()).isNullOrEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void allowFromProductsSelectsTheSameEnvironmentOfEachPeer(String tier) {
        ResolvedProduct product = withNetworking(tier, """
                allowIngressFrom:
                  - product: storefront
                    ports: [8080, 8443]
                  - product: backoffice
                """);

        for (String environment : List.of("prod", "staging")) {
            NetworkPolicy fromProducts = policy(product, environment, ALLOW_FROM_PRODUCTS);

            assertThat(fromProducts.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(fromProducts.getSpec().getEgress()).isNullOrEmpty();
            List<NetworkPolicyIngressRule> rules = fromProducts.getSpec().getIngress();
            assertThat(rules).hasSize(2);
            assertThat(rules.get(0).getFrom()).containsExactly(productPeer("storefront", environment));
            assertThat(rules.get(0).getPorts()).containsExactly(tcp(8080), tcp(8443));
            assertThat(rules.get(1).getFrom()).containsExactly(productPeer("backoffice", environment));
            assertThat(rules.get(1).getPorts()).as("no ports declared means all ports").isNullOrEmpty();
        }
    }

    @Test
    void stagingNeverReachesProd() {
        ResolvedProduct product = withNetworking("critical", """
                allowIngressFrom: [{product: storefront}]
                allowEgressTo: [{product: ledger}]
                """);

        List<NetworkPolicy> staging = build(product, "staging");

        Stream<NetworkPolicyPeer> peers = Stream.concat(
                Fixtures.<NetworkPolicy>named(staging, ALLOW_FROM_PRODUCTS).getSpec().getIngress().stream()
                        .flatMap(r -> r.getFrom().stream()),
                Fixtures.<NetworkPolicy>named(staging, ALLOW_EGRESS).getSpec().getEgress().stream()
                        .flatMap(r -> r.getTo().stream()));
        assertThat(peers).allSatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                .containsEntry("groundwork.dev/environment", "staging")
                .doesNotContainValue("prod"));
    }

    @Test
    void peerSelectorUsesTheEnvironmentNameNotAnExplicitNamespace() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                environments:
                  - name: prod
                    namespace: pay-live
                networking:
                  allowIngressFrom: [{product: storefront}]
                """);

        List<NetworkPolicy> policies = build(product, "prod",
                new PeerNamespaces(Map.of("storefront", Map.of("prod", "shop-live"))));

        assertThat(policies).allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo("pay-live"));
        assertThat(Fixtures.<NetworkPolicy>named(policies, ALLOW_FROM_PRODUCTS).getSpec().getIngress().get(0).getFrom())
                .as("the peer's own namespace name, whatever it is, and its product and environment labels")
                .containsExactly(productPeer("storefront", "prod", "shop-live"));
    }

    @Test
    void aPeerWithoutANamespaceYetGetsNoRuleUntilItHasOne() {
        ResolvedProduct product = withNetworking("critical", """
                allowIngressFrom: [{product: storefront}, {product: backoffice}]
                allowEgressTo: [{product: ledger}, {product: fraud}]
                """);
        PeerNamespaces onlyStorefrontAndLedgerInProd = new PeerNamespaces(Map.of(
                "storefront", Map.of("prod", "storefront-prod"), "ledger", Map.of("prod", "ledger-prod")));

        List<NetworkPolicy> prod = build(product, "prod", onlyStorefrontAndLedgerInProd);
        List<NetworkPolicy> staging = build(product, "staging", onlyStorefrontAndLedgerInProd);

        assertThat(Fixtures.<NetworkPolicy>named(prod, ALLOW_FROM_PRODUCTS).getSpec().getIngress())
                .singleElement().satisfies(rule -> assertThat(rule.getFrom()).containsExactly(productPeer("storefront", "prod")));
        assertThat(Fixtures.<NetworkPolicy>named(prod, ALLOW_EGRESS).getSpec().getEgress())
                .singleElement().satisfies(rule -> assertThat(rule.getTo()).containsExactly(productPeer("ledger", "prod")));
        assertThat(staging).extracting(p -> p.getMetadata().getName())
                .as("no peer has a staging namespace: no rule, so no policy that could select by label alone")
                .doesNotContain(ALLOW_FROM_PRODUCTS, ALLOW_EGRESS);
    }

    @Test
    void everyProductPeerSelectorNamesTheNamespaceSoAForgedLabelMatchesNothing() {
        ResolvedProduct product = withNetworking("critical", """
                allowIngressFrom: [{product: storefront}]
                allowEgressTo: [{product: ledger}]
                """);
        List<NetworkPolicy> prod = build(product, "prod");

        Stream<NetworkPolicyPeer> peers = Stream.concat(
                Fixtures.<NetworkPolicy>named(prod, ALLOW_FROM_PRODUCTS).getSpec().getIngress().stream()
                        .flatMap(r -> r.getFrom().stream()),
                Fixtures.<NetworkPolicy>named(prod, ALLOW_EGRESS).getSpec().getEgress().stream()
                        .flatMap(r -> r.getTo().stream()));

        assertThat(peers).hasSize(2).allSatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchExpressions())
                .singleElement().satisfies(expression -> {
                    assertThat(expression.getKey()).isEqualTo("kubernetes.io/metadata.name");
                    assertThat(expression.getOperator()).isEqualTo("In");
                    assertThat(expression.getValues()).hasSize(1);
                }));
    }

    @Test
    void allowEgressHasPeersThenCidrs() {
        ResolvedProduct product = withNetworking("critical", """
                allowEgressTo:
                  - product: ledger
                    ports: [9090]
                  - product: fraud
                allowEgressCIDRs:
                  - cidr: 203.0.113.0/24
                    ports: [443, 8443]
                  - cidr: 198.51.100.0/24
                """);

        NetworkPolicy egress = policy(product, "prod", ALLOW_EGRESS);

        assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(egress.getSpec().getIngress()).isNullOrEmpty();
        List<NetworkPolicyEgressRule> rules = egress.getSpec().getEgress();
        assertThat(rules).hasSize(4);
        assertThat(rules.get(0).getTo()).containsExactly(productPeer("ledger", "prod"));
        assertThat(rules.get(0).getPorts()).containsExactly(tcp(9090));
        assertThat(rules.get(1).getTo()).containsExactly(productPeer("fraud", "prod"));
        assertThat(rules.get(1).getPorts()).isNullOrEmpty();
        assertThat(rules.get(2).getTo()).singleElement().satisfies(peer -> {
            assertThat(peer.getIpBlock().getCidr()).isEqualTo("203.0.113.0/24");
            assertThat(peer.getIpBlock().getExcept()).isNullOrEmpty();
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector()).isNull();
        });
        assertThat(rules.get(2).getPorts()).containsExactly(tcp(443), tcp(8443));
        assertThat(rules.get(3).getTo()).singleElement()
                .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("198.51.100.0/24"));
        assertThat(rules.get(3).getPorts()).isNullOrEmpty();
    }

    @Test
    void onlyCidrsStillGiveAnEgressPolicy() {
        ResolvedProduct product = withNetworking("critical", """
                allowEgressCIDRs: [{cidr: 10.20.0.0/16, ports: [5432]}]
                """);

        List<NetworkPolicy> policies = build(product, "prod");

        assertThat(policies).extracting(p -> p.getMetadata().getName()).contains(ALLOW_EGRESS).doesNotContain(ALLOW_FROM_PRODUCTS);
        assertThat(Fixtures.<NetworkPolicy>named(policies, ALLOW_EGRESS).getSpec().getEgress()).singleElement()
                .satisfies(rule -> assertThat(rule.getPorts()).containsExactly(tcp(5432)));
    }

    @Test
    void onlyEgressPeersGiveAnEgressPolicyAndNoIngressOne() {
        ResolvedProduct product = withNetworking("critical", "allowEgressTo: [{product: ledger}]");

        assertThat(build(product, "prod")).extracting(p -> p.getMetadata().getName())
                .containsExactly(DEFAULT_DENY, ALLOW_SAME_NAMESPACE, ALLOW_DNS, ALLOW_INGRESS_CONTROLLER,
                        ALLOW_MONITORING, ALLOW_EGRESS);
    }

    @Test
    void onlyIngressPeersGiveNoEgressPolicy() {
        ResolvedProduct product = withNetworking("critical", "allowIngressFrom: [{product: storefront}]");

        assertThat(build(product, "prod")).extracting(p -> p.getMetadata().getName())
                .containsExactly(DEFAULT_DENY, ALLOW_SAME_NAMESPACE, ALLOW_DNS, ALLOW_INGRESS_CONTROLLER,
                        ALLOW_MONITORING, ALLOW_FROM_PRODUCTS);
    }

    @Test
    void emptyListsCountAsNotDeclared() {
        ResolvedProduct product = withNetworking("critical", """
                allowIngressFrom: []
                allowEgressTo: []
                allowEgressCIDRs: []
                """);

        assertThat(build(product, "prod")).extracting(p -> p.getMetadata().getName()).containsExactlyElementsOf(ALWAYS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void everyPolicyStatesItsPolicyTypesAndEveryPortItsProtocol(String tier) {
        ResolvedProduct product = Fixtures.everything("payments", tier);

        for (String environment : List.of("prod", "staging")) {
            List<NetworkPolicy> policies = build(product, environment);
            assertThat(policies).allSatisfy(p -> {
                assertThat(p.getApiVersion()).isEqualTo("networking.k8s.io/v1");
                assertThat(p.getKind()).isEqualTo("NetworkPolicy");
                assertThat(p.getSpec().getPodSelector()).as("selects every pod").isEqualTo(new LabelSelector());
                assertThat(p.getSpec().getPolicyTypes()).isNotEmpty().doesNotHaveDuplicates()
                        .isSubsetOf("Ingress", "Egress");
                if (!p.getSpec().getPolicyTypes().contains("Ingress")) {
                    assertThat(p.getSpec().getIngress()).isNullOrEmpty();
                }
                if (!p.getSpec().getPolicyTypes().contains("Egress")) {
                    assertThat(p.getSpec().getEgress()).isNullOrEmpty();
                }
            });
            Stream<NetworkPolicyPort> ports = policies.stream().flatMap(p -> Stream.concat(
                    p.getSpec().getIngress() == null ? Stream.empty()
                            : p.getSpec().getIngress().stream().filter(r -> r.getPorts() != null).flatMap(r -> r.getPorts().stream()),
                    p.getSpec().getEgress() == null ? Stream.empty()
                            : p.getSpec().getEgress().stream().filter(r -> r.getPorts() != null).flatMap(r -> r.getPorts().stream())));
            assertThat(ports).isNotEmpty().allSatisfy(port -> {
                assertThat(port.getProtocol()).isIn("TCP", "UDP");
                assertThat(port.getPort()).isNotNull();
                assertThat(port.getEndPort()).isNull();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void everyPolicyLivesInTheEnvironmentNamespaceWithTheManagedLabels(String tier) {
        ResolvedProduct product = Fixtures.everything("payments", tier);

        assertThat(build(product, "staging")).allSatisfy(p -> {
            assertThat(p.getMetadata().getNamespace()).isEqualTo("payments-stage");
            assertThat(p.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "app.kubernetes.io/managed-by", "groundwork",
                    "groundwork.dev/product", "payments",
                    "groundwork.dev/environment", "staging"));
        });
    }
}
