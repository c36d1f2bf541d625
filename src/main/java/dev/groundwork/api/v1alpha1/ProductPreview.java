package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductPreview(
        @JsonPropertyDescription("The target revision of the standard this preview is of.")
        String revision,
        @JsonPropertyDescription("The revision the product was on when previewed: the changes are from it to the target.")
        String fromRevision,
        @JsonPropertyDescription("Baseline objects the target revision would create.")
        Integer created,
        @JsonPropertyDescription("Baseline objects the target revision would update.")
        Integer updated,
        @JsonPropertyDescription("Baseline objects the target revision would prune.")
        Integer pruned,
        @JsonPropertyDescription("Findings that block the move under rollout.impactPolicy Halt.")
        Integer blocking,
        @JsonPropertyDescription("Every object that would change, with the fields of an update.")
        List<ObjectChange> changes,
        @JsonPropertyDescription("What the change would break, with evidence, severity and when it was checked.")
        List<PreviewFinding> findings) {

    @JsonIgnore
    public List<PreviewFinding> blockingFindings() {
        return findings == null ? List.of() : findings.stream().filter(PreviewFinding::blocking).toList();
    }
}
