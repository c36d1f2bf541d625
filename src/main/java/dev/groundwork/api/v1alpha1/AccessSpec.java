package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Team access. Who gets which role is the standard's (spec.team, the tier and the environment decide it), so a
 * product can only choose how the area is enforced: a product cannot grant itself more than the standard gives.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessSpec(
        @JsonPropertyDescription("Mode for the access area (the team's RoleBinding groundwork-team); overrides spec.mode.")
        Mode mode) {
}
