package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.CidrRule;
import dev.groundwork.api.v1alpha1.PeerRule;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NetworkPolicies of an environment namespace. Every field the API server would default (policyTypes,
 * port protocol) is written explicitly, so the live object equals the desired one and no false drift arises.
 * Where the tier denies egress, allow-dns and allow-egress open what pods need; where it allows egress, no
 * policy of type Egress is written at all.
 */
public final class NetworkingBaseline {
    public static final String DEFAULT_DENY = "groundwork-default-deny";
    public static final String ALLOW_SAME_NAMESPACE = "groundwork-allow-same-namespace";
    public static final String ALLOW_DNS = "groundwork-allow-dns";
    public static final String ALLOW_INGRESS_CONTROLLER = "groundwork-allow-ingress-controller";
    public static final String ALLOW_MONITORING = "groundwork-allow-monitoring";
    public static final String ALLOW_FROM_PRODUCTS = "groundwork-allow-from-products";
    public static final String ALLOW_EGRESS = "groundwork-allow-egress";

    private static final String INGRESS = "Ingress";
    private static final String EGRESS = "Egress";
    private static final String TCP = "TCP";

    private NetworkingBaseline() {
    }

    /**
     * @param peers the namespaces groundwork manages for the declared peers; a peer without a namespace in this
     *              environment yet gets no rule (it gets one as soon as its namespace exists)
     */
    public static List<NetworkPolicy> build(ResolvedProduct product, Environment env, Standard standard,
                                            PeerNamespaces peers) {
        boolean denyEgress = product.tierStandard().egress() == Standard.Egress.deny;
        List<NetworkPolicy> policies = new ArrayList<>();

        policies.add(policy(product, env, DEFAULT_DENY, denyEgress ? List.of(INGRESS, EGRESS) : List.of(INGRESS),
                List.of(), List.of()));

        NetworkPolicyPeer sameNamespace = new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelector()).build();
        policies.add(policy(product, env, ALLOW_SAME_NAMESPACE,
                denyEgress ? List.of(INGRESS, EGRESS) : List.of(INGRESS),
                List.of(ingress(List.of(sameNamespace), List.of())),
                denyEgress ? List.of(egress(List.of(sameNamespace), List.of())) : List.of()));

        // Any policy of type Egress isolates the pods it selects for egress: in a tier that allows egress,
        // allow-dns and allow-egress would turn "allow" into "deny", so they exist only where egress is denied.
        if (denyEgress) {
            NetworkPolicyPeer dns = new NetworkPolicyPeerBuilder()
                    .withNamespaceSelector(namespaceNamed(standard.dns().namespace()))
                    .withPodSelector(new LabelSelectorBuilder().withMatchLabels(standard.dns().podLabels()).build())
                    .build();
            policies.add(policy(product, env, ALLOW_DNS, List.of(EGRESS), List.of(),
                    List.of(egress(List.of(dns), List.of(port("UDP", 53), port(TCP, 53))))));
        }

        policies.add(policy(product, env, ALLOW_INGRESS_CONTROLLER, List.of(INGRESS),
                List.of(ingress(List.of(fromNamespace(standard.ingressController().namespace())), List.of())), List.of()));
        policies.add(policy(product, env, ALLOW_MONITORING, List.of(INGRESS),
                List.of(ingress(List.of(fromNamespace(standard.monitoring().namespace())), List.of())), List.of()));

        List<NetworkPolicyIngressRule> ingressRules = new ArrayList<>();
        for (PeerRule peer : product.networking().ingressPeers()) {
            productPeer(peer.product(), env, peers)
                    .ifPresent(from -> ingressRules.add(ingress(List.of(from), tcpPorts(peer.portsOrEmpty()))));
        }
        if (!ingressRules.isEmpty()) {
            policies.add(policy(product, env, ALLOW_FROM_PRODUCTS, List.of(INGRESS), ingressRules, List.of()));
        }

        if (denyEgress) {
            List<NetworkPolicyEgressRule> egressRules = new ArrayList<>();
            for (PeerRule peer : product.networking().egressPeers()) {
                productPeer(peer.product(), env, peers)
                        .ifPresent(to -> egressRules.add(egress(List.of(to), tcpPorts(peer.portsOrEmpty()))));
            }
            for (CidrRule cidr : product.networking().egressCidrs()) {
                NetworkPolicyPeer block = new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr.cidr()).endIpBlock().build();
                egressRules.add(egress(List.of(block), tcpPorts(cidr.portsOrEmpty())));
            }
            if (!egressRules.isEmpty()) {
                policies.add(policy(product, env, ALLOW_EGRESS, List.of(EGRESS), List.of(), egressRules));
            }
        }
        return policies;
    }

    /**
     * Pods of another product's namespace of the same environment (staging never reaches prod), selected by its
     * immutable name as well as its labels: a namespace someone else labelled as the peer's matches no rule.
     */
    private static Optional<NetworkPolicyPeer> productPeer(String peer, Environment env, PeerNamespaces peers) {
        return peers.namespaceOf(peer, env.name()).map(namespace -> new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(new LabelSelectorBuilder()
                        .withMatchLabels(Map.of(Labels.PRODUCT, peer, Labels.ENVIRONMENT, env.name()))
                        .addNewMatchExpression()
                        .withKey(Labels.NAMESPACE_NAME)
                        .withOperator("In")
                        .withValues(namespace)
                        .endMatchExpression()
                        .build())
                .build());
    }

    private static NetworkPolicyPeer fromNamespace(String namespace) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaceNamed(namespace)).build();
    }

    private static LabelSelector namespaceNamed(String namespace) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(Labels.NAMESPACE_NAME, namespace)).build();
    }

    private static List<NetworkPolicyPort> tcpPorts(List<Integer> ports) {
        return ports.stream().map(p -> port(TCP, p)).toList();
    }

    private static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
    }

    private static NetworkPolicyIngressRule ingress(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
        return new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(ports.isEmpty() ? null : ports).build();
    }

    private static NetworkPolicyEgressRule egress(List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
        return new NetworkPolicyEgressRuleBuilder().withTo(to).withPorts(ports.isEmpty() ? null : ports).build();
    }

    private static NetworkPolicy policy(ResolvedProduct product, Environment env, String name, List<String> policyTypes,
                                        List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(env.namespace())
                .withLabels(Labels.managed(product.name(), env.name()))
                .endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelector())
                .withPolicyTypes(policyTypes)
                .withIngress(ingress.isEmpty() ? null : ingress)
                .withEgress(egress.isEmpty() ? null : egress)
                .endSpec()
                .build();
    }
}
