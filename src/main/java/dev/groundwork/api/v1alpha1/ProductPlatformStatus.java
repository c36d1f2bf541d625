package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductPlatformStatus(
        @JsonPropertyDescription("Generation of the spec this status describes.")
        Long observedGeneration,

        @JsonPropertyDescription("Short hash of the standard the product was last checked against.")
        String standardRevision,

        @JsonPropertyDescription("Number of baseline objects the operator manages for the product.")
        Integer managedResources,

        @JsonPropertyDescription("One entry per environment namespace.")
        List<NamespaceStatus> namespaces,

        @JsonPropertyDescription("Ready, NamespacesReady, NetworkingReady, StorageReady, LoggingReady, InSync and, "
                + "while deletion waits, DeletionBlocked.")
        List<Condition> conditions,

        @JsonPropertyDescription("Drift from the standard detected in the product's namespaces.")
        DriftStatus drift) {
}
