package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformStandardStatus(
        @JsonPropertyDescription("Generation of the spec this status describes.")
        Long observedGeneration,
        @JsonPropertyDescription("The newest valid revision: the one products are moved to.")
        String revision,
        @JsonPropertyDescription("Valid (the spec can be used), Progressing (products are moving to the revision), "
                + "Available (every product is on it).")
        List<Condition> conditions,
        @JsonPropertyDescription("How the revision reaches products.")
        RolloutStatus rollout,
        @JsonPropertyDescription("Products on each revision, newest first.")
        List<RevisionCount> revisions,
        @JsonPropertyDescription("Products in the cluster.")
        Integer products,
        @JsonPropertyDescription("Products whose Ready condition is True.")
        Integer readyProducts,
        @JsonPropertyDescription("Products whose InSync condition is True.")
        Integer inSyncProducts) {

    public record RevisionCount(
            @JsonPropertyDescription("Revision of the standard.") String revision,
            @JsonPropertyDescription("Products last reconciled against it.") Integer products) {
    }

    public record RolloutStatus(
            @JsonPropertyDescription("Complete, Progressing or Paused.") String phase,
            @JsonPropertyDescription("The wave in progress, when the strategy has waves.") String wave,
            @JsonPropertyDescription("Products on the revision / all products, e.g. 12/12.") String updated,
            @JsonPropertyDescription("The revision products were on before this one.") String previousRevision) {
    }
}
