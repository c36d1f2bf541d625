package dev.groundwork.cluster;

import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.LoggingBaseline;

import java.util.Map;

/** Which area each managed kind belongs to. */
public final class ManagedKinds {
    private static final Map<String, Area> AREAS = Map.of(
            "Namespace", Area.namespaces,
            "NetworkPolicy", Area.networking,
            "ResourceQuota", Area.storage,
            "LimitRange", Area.storage,
            LoggingBaseline.FLOW_KIND, Area.logging,
            "RoleBinding", Area.access);

    private ManagedKinds() {
    }

    public static Area areaOf(String kind) {
        return AREAS.get(kind);
    }
}
