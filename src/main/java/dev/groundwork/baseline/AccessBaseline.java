package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;

import java.util.Optional;

/**
 * The team's RoleBinding in an environment namespace: spec.team's group gets the ClusterRole the standard names
 * for the tier and environment. Subjects' apiGroup is written explicitly (the API server would default it), so the
 * live object reads back equal and there is no false drift.
 */
public final class AccessBaseline {
    public static final String NAME = "groundwork-team";
    public static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    private static final int FORBIDDEN = 403;
    private static final String FORBIDDEN_MARK = "is forbidden: ";
    private static final int MAX_DETAIL = 300;

    private AccessBaseline() {
    }

    public static RoleBinding build(ResolvedProduct product, Environment env) {
        String role = product.access().roles().get(env.name());
        if (role == null) {
            throw new IllegalArgumentException("no role resolved for environment " + env.name() + " of " + product.name());
        }
        return new RoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(env.namespace())
                .withLabels(Labels.managed(product.name(), env.name()))
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup(RBAC_GROUP)
                .withKind("ClusterRole")
                .withName(role)
                .endRoleRef()
                .withSubjects(new SubjectBuilder()
                        .withApiGroup(RBAC_GROUP)
                        .withKind("Group")
                        .withName(product.access().group())
                        .build())
                .build();
    }

    /**
     * The API server refuses a RoleBinding with 403 when the writer may not bind its role (no bind permission and not
     * every permission of the role), or when the role does not exist and cannot be checked. Either way the standard
     * names a role the operator's RBAC does not cover. A 403 for the verb itself ("cannot patch resource") is not that.
     *
     * @param serverMessage the API server's message, whose reason part is kept: it names the role or the permissions
     */
    public static Optional<Problem> refusal(HasMetadata desired, int code, String serverMessage) {
        if (!(desired instanceof RoleBinding binding) || code != FORBIDDEN || serverMessage == null
                || serverMessage.contains("cannot ")) {
            return Optional.empty();
        }
        int at = serverMessage.indexOf(FORBIDDEN_MARK);
        String detail = (at < 0 ? serverMessage : serverMessage.substring(at + FORBIDDEN_MARK.length())).lines()
                .findFirst().orElse("").strip();
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL) + "...";
        }
        String role = binding.getRoleRef().getName();
        return Optional.of(new Problem(Reason.RoleNotBindable, "The operator may not bind ClusterRole " + role
                + ", which the standard gives the team (the API server says: " + detail + "). Grant the operator bind "
                + "on it (the chart does for every role in standard.access.bindableRoles) or name another role; "
                + "existing bindings are left as they are."));
    }
}
