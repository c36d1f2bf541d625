package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftRecord(
        @JsonPropertyDescription("When the drift was first seen (RFC 3339, milliseconds).")
        String time,
        @JsonPropertyDescription("When the drift ended (RFC 3339, milliseconds); absent while it is outstanding.")
        String resolvedTime,
        @JsonPropertyDescription("How the drift ended: Repaired (by groundwork), FixedByOthers (the object matched the "
                + "standard again without groundwork writing it) or Withdrawn (the object left the baseline).")
        DriftResolution resolution,
        @JsonPropertyDescription("Area of the standard: namespaces, networking, storage, logging or access.")
        String area,
        @JsonPropertyDescription("Kind and namespace/name of the drifted object.")
        String object,
        @JsonPropertyDescription("Missing or Modified.")
        DriftChange change,
        @JsonPropertyDescription("Owned fields whose live value differs from the standard.")
        List<String> fields,
        @JsonPropertyDescription("Field manager that now owns a drifted field, when known.")
        String changedBy,
        @JsonPropertyDescription("What groundwork did: Repaired, Reported (Audit mode), RepairFailed or BackedOff (a writer "
                + "keeps fighting); a drift that ended with groundwork's repair says Repaired.")
        DriftAction action) {

    /** The same record, ended; a drift groundwork repaired says so in its action, whatever it waited for before. */
    public DriftRecord resolved(String at, DriftResolution how) {
        return new DriftRecord(time, at, how, area, object, change, fields, changedBy,
                how == DriftResolution.Repaired ? DriftAction.Repaired : action);
    }
}
