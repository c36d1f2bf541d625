package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment namespace: identity labels, Pod Security Admission labels with pinned versions, and the
 * annotations cluster-wide agents and admission policies read (log sink, retention, allowed storage classes).
 */
public final class NamespaceBaseline {
    static final String PSA = "pod-security.kubernetes.io/";

    private NamespaceBaseline() {
    }

    /**
     * @param annotations the contract annotations, from {@link #contractAnnotations}; an area with a problem
     *                    keeps the values it had, so the caller passes those instead
     */
    public static Namespace build(ResolvedProduct product, Environment env, Standard standard,
                                  Map<String, String> annotations) {
        Map<String, String> labels = Labels.managed(product.name(), env.name());
        labels.put(Labels.TEAM, product.team());
        labels.put(Labels.TIER, product.tier().name());
        Standard.PodSecurityLevels levels = product.tierStandard().podSecurity();
        String version = standard.podSecurity().version();
        labels.put(PSA + "enforce", levels.enforce());
        labels.put(PSA + "enforce-version", version);
        labels.put(PSA + "warn", levels.warn());
        labels.put(PSA + "warn-version", version);
        labels.put(PSA + "audit", levels.audit());
        labels.put(PSA + "audit-version", version);
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(env.namespace())
                .withLabels(labels)
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .endMetadata()
                .build();
    }

    public static Map<String, String> loggingAnnotations(ResolvedProduct.Logging logging) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.LOG_SINK, logging.sink());
        annotations.put(Labels.LOG_RETENTION_DAYS, Integer.toString(logging.retentionDays()));
        return annotations;
    }

    public static Map<String, String> storageAnnotations(ResolvedProduct.Storage storage) {
        return Map.of(Labels.ALLOWED_STORAGE_CLASSES, String.join(",", storage.classes()));
    }
}
