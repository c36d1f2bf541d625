package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.Severity;
import dev.groundwork.baseline.ResolvedProduct;

import java.util.ArrayList;
import java.util.List;

/**
 * The team's access in one environment on both revisions: a narrower role, or the group losing its binding. The
 * built-in roles are ordered (view, edit, admin, cluster-admin); a change between roles of which one is not
 * built in cannot be judged without reading the roles and is reported as a change whose width is unknown.
 */
public final class AccessImpact {
    private static final List<String> ORDER = List.of("view", "edit", "admin", "cluster-admin");
    private static final String AREA = "access";

    private AccessImpact() {
    }

    public static List<PreviewFinding> of(String namespace, String environment, ResolvedProduct.Access from,
                                          ResolvedProduct.Access to, String checkedAt) {
        List<PreviewFinding> findings = new ArrayList<>();
        String oldRole = from.roles().get(environment);
        String newRole = to.roles().get(environment);
        if (oldRole == null) {
            return findings;
        }
        String evidence = "RoleBinding " + namespace + "/groundwork-team: group " + from.group() + " ClusterRole " + oldRole
                + " -> group " + to.group() + " ClusterRole " + newRole;
        if (!from.group().equals(to.group())) {
            findings.add(new PreviewFinding(AREA, Severity.Warning, namespace, "Group " + from.group(),
                    "Group " + from.group() + " loses its role " + oldRole + " in " + environment + " (" + namespace
                            + "): the binding goes to group " + to.group() + ".", evidence, checkedAt));
            return findings;
        }
        if (newRole == null || newRole.equals(oldRole)) {
            return findings;
        }
        int before = ORDER.indexOf(oldRole);
        int after = ORDER.indexOf(newRole);
        if (before >= 0 && after >= 0 && after > before) {
            return findings;
        }
        String width = before >= 0 && after >= 0 ? "a narrower role" : "another role (whether narrower is not judged)";
        findings.add(new PreviewFinding(AREA, Severity.Warning, namespace, "Group " + to.group(),
                "Group " + to.group() + " gets " + width + " in " + environment + ": ClusterRole " + oldRole + " -> "
                        + newRole + ".", evidence, checkedAt));
        return findings;
    }
}
