package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.ConditionType;

/** The areas of the standard; each has its own Ready condition and may have its own mode. */
public enum Area {
    namespaces(ConditionType.NamespacesReady),
    networking(ConditionType.NetworkingReady),
    storage(ConditionType.StorageReady),
    logging(ConditionType.LoggingReady),
    access(ConditionType.AccessReady);

    private final ConditionType conditionType;

    Area(ConditionType conditionType) {
        this.conditionType = conditionType;
    }

    public ConditionType conditionType() {
        return conditionType;
    }
}
