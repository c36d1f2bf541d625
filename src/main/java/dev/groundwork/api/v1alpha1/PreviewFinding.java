package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreviewFinding(
        @JsonPropertyDescription("podSecurity, storage, network or access.")
        String area,
        @JsonPropertyDescription("Blocking (Pod Security, storage: the change would break what runs) or Warning "
                + "(network reachability lost, a narrower role).")
        Severity severity,
        @JsonPropertyDescription("The environment namespace concerned.")
        String namespace,
        @JsonPropertyDescription("What is affected: a Pod, PersistentVolumeClaim, ResourceQuota, a reachability "
                + "(namespace to namespace/CIDR:port) or the team's group.")
        String subject,
        @JsonPropertyDescription("What the change would break, in a sentence.")
        String message,
        @JsonPropertyDescription("What the finding rests on: the API server's dry-run warning, the quota's status.used, "
                + "the claim's request, the policies of both revisions, the roles of both revisions.")
        String evidence,
        @JsonPropertyDescription("When the check that found this evidence ran (RFC 3339). A later check that finds the "
                + "same evidence leaves it, so a steady preview writes nothing.")
        String checkedAt) {

    /** The same finding checked at another time: findings are compared without it. */
    public PreviewFinding checkedAt(String at) {
        return new PreviewFinding(area, severity, namespace, subject, message, evidence, at);
    }

    @JsonIgnore
    public boolean blocking() {
        return severity == Severity.Blocking;
    }
}
