package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerRule(
        @Required
        @Pattern(Validation.DNS_LABEL)
        @Size(max = 40)
        @JsonPropertyDescription("Name of the other ProductPlatform. It may not exist yet: its namespaces are allowed as soon as groundwork creates them.")
        String product,

        @Size(max = 20)
        @JsonPropertyDescription("TCP ports allowed; empty means all ports.")
        List<@Min(1) @Max(65535) Integer> ports) {

    public List<Integer> portsOrEmpty() {
        return ports == null ? List.of() : ports;
    }
}
