package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.Severity;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.kube.Quantities;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a change of a product's storage limits would break in one namespace, judged on what is there now: a total
 * below the quota's {@code status.used}, a claim count below the claims there are, a largest-claim limit below an
 * existing claim, a class no longer allowed that claims use. Each is blocking: the quota controller would refuse
 * every new claim, resizes would fail. Only a limit that changes is judged (a product already over an unchanged
 * limit is drift of another kind, not this change's doing).
 */
public final class StorageImpact {
    private static final String AREA = "storage";
    private static final String QUOTA = "ResourceQuota ";

    private StorageImpact() {
    }

    /** A claim in the namespace: its requested size and class (null when it names none). */
    public record Claim(String name, String request, String storageClass) {
    }

    /**
     * @param usedStorage the quota's status.used requests.storage, if the quota controller has reported it
     * @param usedClaims  the quota's status.used persistentvolumeclaims, likewise
     */
    public record Usage(Optional<String> usedStorage, Optional<String> usedClaims, List<Claim> claims) {
    }

    public static List<PreviewFinding> of(String namespace, String quotaName, ResolvedProduct.Storage from,
                                          ResolvedProduct.Storage to, Usage usage, String checkedAt) {
        List<PreviewFinding> findings = new ArrayList<>();
        String quota = QUOTA + namespace + "/" + quotaName;
        if (!sameQuantity(from.maxTotal(), to.maxTotal())) {
            usage.usedStorage().filter(used -> Quantities.compare(used, to.maxTotal()) > 0).ifPresent(used ->
                    findings.add(new PreviewFinding(AREA, Severity.Blocking, namespace, quota,
                            "Claims in " + namespace + " request " + used + " in total, above the new limit " + to.maxTotal()
                                    + " (now " + from.maxTotal() + "): every new claim would be refused.",
                            "status.used requests.storage=" + used + " of " + quota + "; spec.hard requests.storage "
                                    + from.maxTotal() + " -> " + to.maxTotal(), checkedAt)));
        }
        if (from.maxClaims() != to.maxClaims()) {
            usage.usedClaims().filter(used -> Quantities.compare(used, Integer.toString(to.maxClaims())) > 0).ifPresent(used ->
                    findings.add(new PreviewFinding(AREA, Severity.Blocking, namespace, quota,
                            namespace + " has " + used + " claims, above the new limit of " + to.maxClaims() + " (now "
                                    + from.maxClaims() + ").",
                            "status.used persistentvolumeclaims=" + used + " of " + quota + "; spec.hard "
                                    + "persistentvolumeclaims " + from.maxClaims() + " -> " + to.maxClaims(), checkedAt)));
        }
        List<Claim> claims = usage.claims().stream().sorted(Comparator.comparing(Claim::name)).toList();
        if (!sameQuantity(from.maxClaimSize(), to.maxClaimSize())) {
            for (Claim claim : claims) {
                if (claim.request() != null && Quantities.compare(claim.request(), to.maxClaimSize()) > 0) {
                    findings.add(new PreviewFinding(AREA, Severity.Blocking, namespace,
                            "PersistentVolumeClaim " + namespace + "/" + claim.name(),
                            "Claim " + claim.name() + " requests " + claim.request() + ", above the new largest-claim limit "
                                    + to.maxClaimSize() + " (now " + from.maxClaimSize() + ").",
                            "spec.resources.requests.storage=" + claim.request() + "; LimitRange max storage "
                                    + from.maxClaimSize() + " -> " + to.maxClaimSize(), checkedAt));
                }
            }
        }
        Set<String> removed = new HashSet<>(from.classes());
        removed.removeAll(to.classes());
        for (Claim claim : claims) {
            if (claim.storageClass() != null && removed.contains(claim.storageClass())) {
                findings.add(new PreviewFinding(AREA, Severity.Blocking, namespace,
                        "PersistentVolumeClaim " + namespace + "/" + claim.name(),
                        "Claim " + claim.name() + " uses storage class " + claim.storageClass()
                                + ", which the target revision no longer allows (allowed: " + String.join(", ", to.classes()) + ").",
                        "spec.storageClassName=" + claim.storageClass() + "; allowed classes " + String.join(",", from.classes())
                                + " -> " + String.join(",", to.classes()), checkedAt));
            }
        }
        return findings;
    }

    private static boolean sameQuantity(String a, String b) {
        return Quantities.compare(a, b) == 0;
    }
}
