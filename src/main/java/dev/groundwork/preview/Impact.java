package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.baseline.StorageBaseline;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A product's preview: its baseline on the revision it is on against its baseline on the target, and what the
 * change would break, judged on evidence the caller reads from the cluster (and only where needed: claims are listed
 * only where the largest-claim limit or the classes change, a Pod Security dry run only where the enforce labels
 * change). Pure but for what {@link Evidence} does.
 */
public final class Impact {
    public static final String PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
    public static final String PSA_ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";

    /** What the preview reads from the cluster. */
    public interface Evidence {
        /** The live namespace's labels; empty when it does not exist (no pods can be there). */
        Optional<Map<String, String>> namespaceLabels(String namespace);

        /** The quota's status.used requests.storage and persistentvolumeclaims, as far as reported. */
        StorageImpact.Usage quotaUsage(String namespace);

        /** The claims in the namespace (a per-namespace list). */
        List<StorageImpact.Claim> claims(String namespace);

        /** The API server's warnings for a dry run of the namespace with these Pod Security labels. */
        List<String> podSecurityDryRun(String namespace, Map<String, String> labels);
    }

    private Impact() {
    }

    public static ProductPreview preview(String fromRevision, Baseline from, String toRevision, Baseline to,
                                         Evidence evidence, ProductPreview previous, String now) {
        List<ObjectChange> changes = Changes.between(from, to);
        List<PreviewFinding> findings = new ArrayList<>();
        Map<String, Baseline.EnvironmentBaseline> before = byNamespace(from);
        for (Baseline.EnvironmentBaseline after : to.environments()) {
            String namespace = after.environment().namespace();
            Baseline.EnvironmentBaseline old = before.get(namespace);
            if (after.problem().isPresent() || old == null || old.problem().isPresent()) {
                continue;
            }
            findings.addAll(podSecurity(namespace, after, evidence, now));
            if (has(from, Area.storage) && has(to, Area.storage)) {
                findings.addAll(storage(namespace, from.product().storage(), to.product().storage(), evidence, now));
            }
            if (has(from, Area.networking) && has(to, Area.networking)) {
                findings.addAll(Reachability.lost(namespace, Reachability.of(namespace, policies(old)),
                        Reachability.of(namespace, policies(after)),
                        "NetworkPolicies of revision " + fromRevision + " and of revision " + toRevision, now));
            }
            if (has(from, Area.access) && has(to, Area.access)) {
                findings.addAll(AccessImpact.of(namespace, after.environment().name(), from.product().access(),
                        to.product().access(), now));
            }
        }
        return Previews.of(toRevision, fromRevision, changes, findings, previous);
    }

    /** The namespaces whose Pod Security enforce labels the target would change, with the labels it would set. */
    static Map<String, String> enforceLabels(Baseline.EnvironmentBaseline environment) {
        Map<String, String> labels = new LinkedHashMap<>();
        environment.objects().stream().filter(o -> o.object() instanceof Namespace).findFirst().ifPresent(o -> {
            Map<String, String> all = Optional.ofNullable(o.object().getMetadata().getLabels()).orElse(Map.of());
            for (String key : List.of(PSA_ENFORCE, PSA_ENFORCE_VERSION)) {
                if (all.containsKey(key)) {
                    labels.put(key, all.get(key));
                }
            }
        });
        return labels;
    }

    private static List<PreviewFinding> podSecurity(String namespace, Baseline.EnvironmentBaseline after, Evidence evidence,
                                                    String now) {
        Map<String, String> wanted = enforceLabels(after);
        Optional<Map<String, String>> live = evidence.namespaceLabels(namespace);
        if (wanted.isEmpty() || live.isEmpty()) {
            return List.of();
        }
        boolean changes = wanted.entrySet().stream().anyMatch(e -> !Objects.equals(e.getValue(), live.get().get(e.getKey())));
        if (!changes) {
            return List.of();
        }
        String level = wanted.get(PSA_ENFORCE) + ":" + wanted.getOrDefault(PSA_ENFORCE_VERSION, "latest");
        return PodSecurityWarnings.findings(namespace, level, evidence.podSecurityDryRun(namespace, wanted), now);
    }

    private static List<PreviewFinding> storage(String namespace, ResolvedProduct.Storage from, ResolvedProduct.Storage to,
                                                Evidence evidence, String now) {
        if (from.equals(to)) {
            return List.of();
        }
        StorageImpact.Usage usage = evidence.quotaUsage(namespace);
        Set<String> removed = new HashSet<>(from.classes());
        removed.removeAll(to.classes());
        boolean claimsMatter = !removed.isEmpty() || !from.maxClaimSize().equals(to.maxClaimSize());
        List<StorageImpact.Claim> claims = claimsMatter ? evidence.claims(namespace) : List.of();
        return StorageImpact.of(namespace, StorageBaseline.NAME, from, to,
                new StorageImpact.Usage(usage.usedStorage(), usage.usedClaims(), claims), now);
    }

    private static boolean has(Baseline baseline, Area area) {
        return baseline.product().problem(area).isEmpty();
    }

    private static List<NetworkPolicy> policies(Baseline.EnvironmentBaseline environment) {
        return environment.objects().stream().map(DesiredObject::object).filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast).toList();
    }

    private static Map<String, Baseline.EnvironmentBaseline> byNamespace(Baseline baseline) {
        Map<String, Baseline.EnvironmentBaseline> environments = new LinkedHashMap<>();
        baseline.environments().forEach(e -> environments.put(e.environment().namespace(), e));
        return environments;
    }
}
