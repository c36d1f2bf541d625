package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftRecord(
        @JsonPropertyDescription("When the drift was detected.")
        String time,
        @JsonPropertyDescription("Area of the standard: namespaces, networking, storage or logging.")
        String area,
        @JsonPropertyDescription("Kind and namespace/name of the drifted object.")
        String object,
        @JsonPropertyDescription("Missing or Modified.")
        DriftChange change,
        @JsonPropertyDescription("Owned fields whose live value differs from the standard.")
        List<String> fields,
        @JsonPropertyDescription("Field manager that now owns a drifted field, when known.")
        String changedBy,
        @JsonPropertyDescription("Repaired, Reported (Audit mode) or RepairFailed.")
        DriftAction action) {
}
