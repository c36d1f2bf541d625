package dev.groundwork.it;

import dev.groundwork.baseline.StorageBaseline;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.Map;

/** ResourceQuota status where no kube-controller-manager runs: a test plays the quota controller, and says so. */
public final class Quotas {
    private Quotas() {
    }

    /**
     * Sets the status of groundwork's storage quota in the namespace as the quota controller would: every hard key used
     * 0, but these.
     */
    public static void playController(KubernetesClient admin, String namespace, Map<String, String> used) {
        ResourceQuota quota = admin.resourceQuotas().inNamespace(namespace).withName(StorageBaseline.NAME).get();
        Map<String, Quantity> usedQuantities = new HashMap<>();
        quota.getSpec().getHard().keySet().forEach(k -> usedQuantities.put(k, new Quantity("0")));
        used.forEach((k, v) -> usedQuantities.put(k, new Quantity(v)));
        quota.setStatus(new ResourceQuotaStatus(quota.getSpec().getHard(), usedQuantities));
        admin.resource(quota).updateStatus();
    }
}
