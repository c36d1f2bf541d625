package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.Tier;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Team access is the one part of the standard that hands out permissions, so it is judged strictly: every role a
 * tier names must be one the standard lists as bindable (the chart grants the operator bind on exactly those), and
 * no list may name cluster-admin or a system: role, which a typo or a copy-paste would otherwise give a whole team.
 */
final class AccessValidator {
    /** A ClusterRole name as RBAC accepts it, restricted to what roles are really called (colons allowed). */
    private static final Pattern ROLE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.:]*[a-z0-9])?$");
    private static final int MAX_ROLE_NAME = 253;

    private AccessValidator() {
    }

    static void validate(Standard.Access access, List<String> problems) {
        if (access == null) {
            problems.add("access is missing");
            return;
        }
        if (access.groupTemplate() == null || !access.groupTemplate().contains(Standard.Access.TEAM_PLACEHOLDER)) {
            problems.add("access.groupTemplate must contain " + Standard.Access.TEAM_PLACEHOLDER
                    + ", or every product's team would get the same group");
        }
        if (access.bindableRoles() == null || access.bindableRoles().isEmpty()) {
            problems.add("access.bindableRoles must name at least one ClusterRole");
            return;
        }
        for (String role : access.bindableRoles()) {
            checkRole("access.bindableRoles", role, problems);
        }
    }

    static void validateTier(Tier tier, Standard.TierAccess access, Standard standard, List<String> problems) {
        String path = "tiers." + tier + ".access";
        if (access == null) {
            problems.add(path + " is missing");
            return;
        }
        List<String> bindable = standard.access() == null || standard.access().bindableRoles() == null
                ? List.of() : standard.access().bindableRoles();
        checkTierRole(path + ".defaultRole", access.defaultRole(), bindable, problems);
        Map<String, String> roles = access.roles() == null ? Map.of() : access.roles();
        // A role for an environment outside the vocabulary is not an error: maps merge key by key, so a standard
        // that narrows the vocabulary could not remove the built-in prod/staging/dev keys. It is simply unused.
        for (Map.Entry<String, String> entry : roles.entrySet()) {
            checkTierRole(path + ".roles." + entry.getKey(), entry.getValue(), bindable, problems);
        }
    }

    private static void checkTierRole(String path, String role, List<String> bindable, List<String> problems) {
        if (checkRole(path, role, problems) && !bindable.contains(role)) {
            problems.add(path + " " + role + " is not in access.bindableRoles (" + String.join(", ", bindable) + ")");
        }
    }

    /** @return whether the name is a role the standard may name at all */
    private static boolean checkRole(String path, String role, List<String> problems) {
        if (role == null || role.length() > MAX_ROLE_NAME || !ROLE_NAME.matcher(role).matches()) {
            problems.add(path + " " + role + " is not a valid ClusterRole name");
            return false;
        }
        if (role.equals("cluster-admin") || role.startsWith("system:")) {
            problems.add(path + " " + role + " must not be given to a team");
            return false;
        }
        return true;
    }
}
