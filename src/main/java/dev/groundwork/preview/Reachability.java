package dev.groundwork.preview;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.Severity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What traffic the NetworkPolicies of one namespace allow, as statements a person reads ("ingress-nginx -> shop-prod",
 * "shop-prod -> any destination", "shop-prod -> 203.0.113.0/24:TCP/443"), and what a change of them loses. Works on
 * the policies groundwork writes (every pod selected, peers by namespace name, pod labels or CIDR), not on arbitrary
 * policies: a statement lost is one the current revision's policies allow and the target's do not.
 */
public final class Reachability {
    static final String ANY_SOURCE = "any source";
    static final String ANY_DESTINATION = "any destination";

    private Reachability() {
    }

    /** The allowed flows into and out of the namespace. */
    public record Flows(SortedSet<String> ingress, SortedSet<String> egress) {
    }

    public static Flows of(String namespace, List<NetworkPolicy> policies) {
        boolean ingressIsolated = false;
        boolean egressIsolated = false;
        SortedSet<String> ingress = new TreeSet<>();
        SortedSet<String> egress = new TreeSet<>();
        for (NetworkPolicy policy : policies) {
            List<String> types = Optional.ofNullable(policy.getSpec().getPolicyTypes()).orElse(List.of());
            if (types.contains("Ingress")) {
                ingressIsolated = true;
                Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of()).forEach(rule ->
                        peers(namespace, rule.getFrom()).forEach(from -> ports(rule.getPorts())
                                .forEach(port -> ingress.add(from + port + " -> " + namespace))));
            }
            if (types.contains("Egress")) {
                egressIsolated = true;
                Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of()).forEach(rule ->
                        peers(namespace, rule.getTo()).forEach(to -> ports(rule.getPorts())
                                .forEach(port -> egress.add(namespace + " -> " + to + port))));
            }
        }
        if (!ingressIsolated) {
            ingress.add(ANY_SOURCE + " -> " + namespace);
        }
        if (!egressIsolated) {
            egress.add(namespace + " -> " + ANY_DESTINATION);
        }
        return new Flows(ingress, egress);
    }

    /** The flows the current policies allow and the target's do not, each a warning that names what stays allowed. */
    public static List<PreviewFinding> lost(String namespace, Flows from, Flows to, String evidence, String checkedAt) {
        List<PreviewFinding> findings = new ArrayList<>();
        lost(namespace, "Ingress", from.ingress(), to.ingress(), evidence, checkedAt, findings);
        lost(namespace, "Egress", from.egress(), to.egress(), evidence, checkedAt, findings);
        return findings;
    }

    private static void lost(String namespace, String direction, SortedSet<String> before, SortedSet<String> after,
                             String evidence, String checkedAt, List<PreviewFinding> into) {
        if (after.stream().anyMatch(s -> s.contains(ANY_SOURCE) || s.contains(ANY_DESTINATION))) {
            return;
        }
        for (String flow : before) {
            if (!after.contains(flow)) {
                String still = after.isEmpty() ? "nothing" : String.join(", ", after);
                into.add(new PreviewFinding("network", Severity.Warning, namespace, flow,
                        direction + " " + flow + " would no longer be allowed; still allowed: " + still + ".",
                        evidence, checkedAt));
            }
        }
    }

    private static List<String> peers(String namespace, List<NetworkPolicyPeer> peers) {
        List<String> names = new ArrayList<>();
        for (NetworkPolicyPeer peer : Optional.ofNullable(peers).orElse(List.of())) {
            names.add(describe(namespace, peer));
        }
        return names;
    }

    private static String describe(String namespace, NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            return peer.getIpBlock().getCidr();
        }
        String where = peer.getNamespaceSelector() == null ? namespace : namespaces(peer.getNamespaceSelector());
        String pods = peer.getPodSelector() == null ? "" : labels(peer.getPodSelector());
        return pods.isEmpty() ? where : where + " (pods " + pods + ")";
    }

    /** A namespace selector as the namespace it names, when it names one by its immutable name label. */
    private static String namespaces(LabelSelector selector) {
        Map<String, String> match = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
        if (match.containsKey(Labels.NAMESPACE_NAME)) {
            return match.get(Labels.NAMESPACE_NAME);
        }
        for (LabelSelectorRequirement requirement : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
            if (requirement.getKey().equals(Labels.NAMESPACE_NAME) && "In".equals(requirement.getOperator())) {
                return String.join("|", requirement.getValues());
            }
        }
        String labels = labels(selector);
        return labels.isEmpty() ? "any namespace" : "namespaces " + labels;
    }

    private static String labels(LabelSelector selector) {
        Map<String, String> match = new TreeMap<>(Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()));
        List<String> parts = new ArrayList<>();
        match.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        if (ports == null || ports.isEmpty()) {
            return List.of("");
        }
        return ports.stream().map(p -> ":" + Optional.ofNullable(p.getProtocol()).orElse("TCP") + "/"
                + (p.getPort() == null ? "any" : p.getPort().getIntVal() != null ? p.getPort().getIntVal().toString()
                : p.getPort().getStrVal())).toList();
    }
}
