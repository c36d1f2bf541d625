package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "isCIDR(self.cidr)", message = "cidr must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24",
        fieldPath = ".cidr")
public record CidrRule(
        @Required
        @Size(max = 43)
        @JsonPropertyDescription("Address range in CIDR notation, for example 203.0.113.0/24.")
        String cidr,

        @Size(max = 20)
        @JsonPropertyDescription("TCP ports allowed; empty means all ports.")
        List<@Min(1) @Max(65535) Integer> ports) {

    public List<Integer> portsOrEmpty() {
        return ports == null ? List.of() : ports;
    }
}
