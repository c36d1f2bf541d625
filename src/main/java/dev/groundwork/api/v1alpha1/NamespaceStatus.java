package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamespaceStatus(
        @JsonPropertyDescription("Namespace name.")
        String name,
        @JsonPropertyDescription("Environment the namespace belongs to.")
        String environment,
        @JsonPropertyDescription("Ready, Conflict (claimed by another product or protected), Pending (not created yet, "
                + "or Audit mode) or Retained (no longer managed, kept by the deletion policy).")
        NamespaceState state,
        @JsonPropertyDescription("Why the namespace is not Ready, when it is not.")
        String message) {
}
