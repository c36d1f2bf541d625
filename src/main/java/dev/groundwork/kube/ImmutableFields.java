package dev.groundwork.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.util.Objects;

/**
 * Fields the API server refuses to change once an object exists: a different desired value can only be written by
 * deleting the object and creating it again.
 */
public final class ImmutableFields {
    private ImmutableFields() {
    }

    /** Whether the desired object differs from the live one in a field that cannot be updated. */
    public static boolean changed(HasMetadata desired, HasMetadata live) {
        if (desired instanceof RoleBinding want && live instanceof RoleBinding have) {
            return !Objects.equals(want.getRoleRef(), have.getRoleRef());
        }
        return false;
    }
}
