package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutstandingDrift(
        @JsonPropertyDescription("Kind and namespace/name of the drifted object.")
        String object,
        @JsonPropertyDescription("When the drift was first seen (RFC 3339, milliseconds): in drift since then.")
        String since,
        @JsonPropertyDescription("Reported (Audit mode), RepairFailed or BackedOff.")
        DriftAction action,
        @JsonPropertyDescription("Area of the standard the object belongs to.")
        String area,
        @JsonPropertyDescription("Missing or Modified.")
        DriftChange change,
        @JsonPropertyDescription("Owned fields whose live value differs from the standard.")
        List<String> fields,
        @JsonPropertyDescription("Field manager that now owns a drifted field, when known.")
        String changedBy) {
}
