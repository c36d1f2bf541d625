package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldChange(
        @JsonPropertyDescription("Path of the field, e.g. spec.hard.requests.storage or "
                + "metadata.labels.pod-security.kubernetes.io/enforce; list items as [index].")
        String path,
        @JsonPropertyDescription("The value on the revision the product is on, for a scalar; absent when the field is new "
                + "or not a scalar.")
        String from,
        @JsonPropertyDescription("The value on the target revision, for a scalar; absent when the field goes or is not a scalar.")
        String to) {
}
