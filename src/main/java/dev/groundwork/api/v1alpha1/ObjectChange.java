package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectChange(
        @JsonPropertyDescription("Kind and namespace/name of the baseline object.")
        String object,
        @JsonPropertyDescription("Area of the standard: namespaces, networking, storage, logging or access.")
        String area,
        @JsonPropertyDescription("Created, Updated or Pruned.")
        ObjectChangeKind change,
        @JsonPropertyDescription("For Updated: the fields that change, with old and new value for scalars.")
        List<FieldChange> fields) {
}
