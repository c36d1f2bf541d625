package dev.groundwork.api;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations that make up groundwork's contract with the cluster. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "groundwork";
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
    public static final String PRODUCT = "groundwork.dev/product";
    public static final String ENVIRONMENT = "groundwork.dev/environment";
    public static final String TEAM = "groundwork.dev/team";
    public static final String TIER = "groundwork.dev/tier";
    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    public static final String LOG_SINK = "groundwork.dev/log-sink";
    public static final String LOG_RETENTION_DAYS = "groundwork.dev/log-retention-days";
    public static final String ALLOWED_STORAGE_CLASSES = "groundwork.dev/allowed-storage-classes";
    /**
     * Consent to adopt, a label set on an existing namespace by someone allowed to update it: the name of the one
     * product that may adopt it. The only groundwork.dev/ key the namespace-identity admission policy lets others set;
     * a label, so the operator can watch just the namespaces that carry it.
     */
    public static final String ADOPTION_CONSENT = "groundwork.dev/adopt";
    /** Set on objects a deletion policy or a removed environment left in place, no longer managed. */
    public static final String RETAINED = "groundwork.dev/retained";

    public static final String NAME_PREFIX = "groundwork-";

    private Labels() {
    }

    /** Whether the object carries groundwork's managed-by label (a retained object no longer does). */
    public static boolean isManaged(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
    }

    /** Labels every managed object carries. */
    public static Map<String, String> managed(String product, String environment) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(PRODUCT, product);
        labels.put(ENVIRONMENT, environment);
        return labels;
    }
}
