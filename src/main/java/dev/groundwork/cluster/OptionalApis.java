package dev.groundwork.cluster;


import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Watches the CustomResourceDefinitions of the optional APIs groundwork uses (the kube-logging Flow, OpenReports),
 * each by name (a field selector on metadata.name, so RBAC can name them), while the operator runs. When one is
 * established or removed, every product is reconciled, and the reconcile registers or removes the informer for that
 * API: installing an optional API after the operator started takes effect without a restart.
 */
public final class OptionalApis extends ProductEvents {
    private static final Logger LOG = Logger.getLogger(OptionalApis.class);

    private final KubernetesClient client;
    private final List<String> crds;
    private final Supplier<Set<ResourceID>> products;
    private final Map<String, Boolean> established = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<CustomResourceDefinition>> informers = new ArrayList<>();

    public OptionalApis(KubernetesClient client, List<String> crds, Supplier<Set<ResourceID>> products) {
        super("optional-apis");
        this.client = client;
        this.crds = List.copyOf(crds);
        this.products = products;
    }

    /** Whether the CRD is installed and established, as last seen by its watch. */
    public boolean installed(String crd) {
        return established.getOrDefault(crd, false);
    }

    @Override
    public synchronized void start() {
        for (String crd : crds) {
            informers.add(client.apiextensions().v1().customResourceDefinitions().withName(crd).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(CustomResourceDefinition obj) {
                    seen(crd, isEstablished(obj));
                }

                @Override
                public void onUpdate(CustomResourceDefinition oldObj, CustomResourceDefinition newObj) {
                    seen(crd, isEstablished(newObj));
                }

                @Override
                public void onDelete(CustomResourceDefinition obj, boolean deletedFinalStateUnknown) {
                    seen(crd, false);
                }
            }, 0));
        }
        super.start();
    }

    @Override
    public synchronized void stop() {
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
        super.stop();
    }

    private void seen(String crd, boolean now) {
        Boolean before = established.put(crd, now);
        if (before == null ? now : before != now) {
            LOG.infof("%s %s: reconciling every product", crd, now ? "installed" : "removed");
            announce(products.get());
        }
    }

    /** Established and not being deleted: a terminating CRD refuses new objects. */
    private static boolean isEstablished(CustomResourceDefinition crd) {
        return crd.getMetadata().getDeletionTimestamp() == null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
