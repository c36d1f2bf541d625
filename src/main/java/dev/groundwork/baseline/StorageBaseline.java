package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.kube.Quantities;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * ResourceQuota and LimitRange of an environment namespace. Every StorageClass present in the cluster that
 * the product may not use gets a quota of "0", so a new class is closed until the standard opens it.
 */
public final class StorageBaseline {
    public static final String NAME = "groundwork-storage";
    private static final String CLASS_KEY = ".storageclass.storage.k8s.io/";

    private StorageBaseline() {
    }

    public static List<HasMetadata> build(ResolvedProduct product, Environment env, SortedSet<String> clusterClasses) {
        ResolvedProduct.Storage storage = product.storage();
        String claims = Quantities.canonical(Integer.toString(storage.maxClaims()));
        Map<String, Quantity> hard = new TreeMap<>();
        hard.put("requests.storage", new Quantity(storage.maxTotal()));
        hard.put("persistentvolumeclaims", new Quantity(claims));
        for (String storageClass : storage.classes()) {
            hard.put(storageClass + CLASS_KEY + "requests.storage", new Quantity(storage.maxTotal()));
            hard.put(storageClass + CLASS_KEY + "persistentvolumeclaims", new Quantity(claims));
        }
        for (String storageClass : clusterClasses) {
            if (!storage.classes().contains(storageClass)) {
                hard.put(storageClass + CLASS_KEY + "requests.storage", new Quantity("0"));
                hard.put(storageClass + CLASS_KEY + "persistentvolumeclaims", new Quantity("0"));
            }
        }
        HasMetadata quota = new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(env.namespace())
                .withLabels(Labels.managed(product.name(), env.name()))
                .endMetadata()
                .withNewSpec().withHard(hard).endSpec()
                .build();
        HasMetadata limits = new LimitRangeBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(env.namespace())
                .withLabels(Labels.managed(product.name(), env.name()))
                .endMetadata()
                .withNewSpec()
                .withLimits(new LimitRangeItemBuilder()
                        .withType("PersistentVolumeClaim")
                        .withMax(Map.of("storage", new Quantity(storage.maxClaimSize())))
                        .build())
                .endSpec()
                .build();
        return List.of(quota, limits);
    }
}
