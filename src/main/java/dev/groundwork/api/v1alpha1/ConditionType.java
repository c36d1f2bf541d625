package dev.groundwork.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;

/** The condition types groundwork writes; their names are the {@code type} of each status condition (an API). */
public enum ConditionType {
    // ProductPlatform
    Ready,
    NamespacesReady,
    NetworkingReady,
    StorageReady,
    LoggingReady,
    AccessReady,
    InSync,
    DeletionBlocked,
    // PlatformStandard
    Valid,
    Progressing,
    Available;

    /** Whether a condition, as read back from the API, is of this type. */
    public boolean is(Condition condition) {
        return name().equals(condition.getType());
    }
}
