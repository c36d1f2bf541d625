package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.__namespace__) || (self.__namespace__ != 'default' && !self.__namespace__.startsWith('kube-'))",
        message = "namespace must not be 'default' or start with 'kube-'", fieldPath = ".namespace")
public record EnvironmentSpec(
        @Required
        @Pattern(Validation.DNS_LABEL)
        @Size(max = 15)
        @JsonPropertyDescription("Environment name (DNS-1123 label, at most 15 characters), one of the names the standard allows, "
                + "by default prod, staging or dev.")
        String name,

        @Pattern(Validation.DNS_LABEL)
        @Size(max = 63)
        @JsonPropertyDescription("Namespace of the environment. Default <product>-<environment>.")
        String namespace) {

    public String namespaceFor(String product) {
        return namespace == null || namespace.isEmpty() ? product + "-" + name : namespace;
    }
}
