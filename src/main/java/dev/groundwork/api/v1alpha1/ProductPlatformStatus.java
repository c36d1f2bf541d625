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
        DriftStatus drift,

        @JsonPropertyDescription("While a newer revision of the standard is the target: what it would change in the "
                + "product's namespaces and what it would break. Kept as it was once the product moved, until the next "
                + "revision.")
        ProductPreview preview) {

    public ProductPlatformStatus(Long observedGeneration, String standardRevision, Integer managedResources,
                                 List<NamespaceStatus> namespaces, List<Condition> conditions, DriftStatus drift) {
        this(observedGeneration, standardRevision, managedResources, namespaces, conditions, drift, null);
    }

    /** This status with that preview (none: null). */
    public ProductPlatformStatus withPreview(ProductPreview preview) {
        return new ProductPlatformStatus(observedGeneration, standardRevision, managedResources, namespaces, conditions,
                drift, preview);
    }
}
