package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftStatus(
        @JsonPropertyDescription("Drifts detected since the product was created.")
        Long detectedTotal,
        @JsonPropertyDescription("Drifts repaired since the product was created.")
        Long repairedTotal,
        @JsonPropertyDescription("When drift was last detected.")
        String lastDetectedTime,
        @JsonPropertyDescription("Drifts not yet resolved (Audit mode, a failing or backed-off repair), oldest first, "
                + "each with the time it was first seen.")
        List<OutstandingDrift> outstanding,
        @JsonPropertyDescription("Most recent drift records, newest first, at most 10.")
        List<DriftRecord> recent) {
}
