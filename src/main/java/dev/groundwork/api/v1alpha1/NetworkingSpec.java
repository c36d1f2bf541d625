package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.allowIngressFrom) || self.allowIngressFrom.all(p, self.allowIngressFrom.exists_one(q, q.product == p.product))",
        message = "products in allowIngressFrom must be unique", fieldPath = ".allowIngressFrom")
@ValidationRule(value = "!has(self.allowEgressTo) || self.allowEgressTo.all(p, self.allowEgressTo.exists_one(q, q.product == p.product))",
        message = "products in allowEgressTo must be unique", fieldPath = ".allowEgressTo")
public record NetworkingSpec(
        @JsonPropertyDescription("Mode for the networking area; overrides spec.mode.")
        Mode mode,

        @Size(max = 50)
        @JsonPropertyDescription("Other products whose pods may call this product's pods, from the namespace of the same environment.")
        List<PeerRule> allowIngressFrom,

        @Size(max = 50)
        @JsonPropertyDescription("Other products this product calls, in the same environment; matters when the tier denies egress.")
        List<PeerRule> allowEgressTo,

        @Size(max = 50)
        @JsonPropertyDescription("Address ranges outside the cluster this product may call when the tier denies egress.")
        List<CidrRule> allowEgressCIDRs) {

    public List<PeerRule> ingressPeers() {
        return allowIngressFrom == null ? List.of() : allowIngressFrom;
    }

    public List<PeerRule> egressPeers() {
        return allowEgressTo == null ? List.of() : allowEgressTo;
    }

    public List<CidrRule> egressCidrs() {
        return allowEgressCIDRs == null ? List.of() : allowEgressCIDRs;
    }

    /** Every product this one names as a peer, ingress or egress, each once, sorted. */
    public SortedSet<String> peers() {
        SortedSet<String> peers = new TreeSet<>();
        ingressPeers().forEach(peer -> peers.add(peer.product()));
        egressPeers().forEach(peer -> peers.add(peer.product()));
        return peers;
    }
}
