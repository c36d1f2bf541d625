package dev.groundwork.rollout;

import dev.groundwork.standard.RolloutProgress;
import dev.groundwork.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Deployments and StatefulSets in a product's namespaces are not available, for the rollout's health gate.
 * Read by listing the product's namespaces when the rollout asks, not by an informer: caching every workload of the
 * cluster to watch the few products of a wave would cost memory proportional to the cluster. A product's answer is
 * reused for {@code interval}, so a wave of many products costs one pass over its namespaces per interval.
 */
final class WorkloadAvailability implements RolloutProgress.Workloads {
    private record Reading(Instant at, List<RolloutProgress.Workload> unavailable) {
    }

    private final KubernetesClient client;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Reading> byProduct = new ConcurrentHashMap<>();

    WorkloadAvailability(KubernetesClient client, Duration interval, Clock clock) {
        this.client = client;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public List<RolloutProgress.Workload> unavailable(RolloutProgress.Product product) {
        Instant now = clock.instant();
        Reading reading = byProduct.get(product.name());
        if (reading == null || !now.isBefore(reading.at().plus(interval))) {
            reading = new Reading(now, read(product.namespaces()));
            byProduct.put(product.name(), reading);
        }
        return reading.unavailable();
    }

    /** Readings only matter for the wave in progress: the others are dropped. */
    void keepOnly(Set<String> products) {
        byProduct.keySet().retainAll(products);
    }

    private List<RolloutProgress.Workload> read(List<String> namespaces) {
        List<RolloutProgress.Workload> unavailable = new ArrayList<>();
        for (String namespace : namespaces) {
            for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
                if (!available(d)) {
                    unavailable.add(workload(d));
                }
            }
            for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
                if (!available(s)) {
                    unavailable.add(workload(s));
                }
            }
        }
        return unavailable;
    }

    /** The Deployment controller's condition (apps/v1 DeploymentConditionType), not one of groundwork's. */
    private static final String DEPLOYMENT_AVAILABLE = "Available";

    /** As the Deployment controller reports it: condition Available True. */
    static boolean available(Deployment deployment) {
        return deployment.getStatus() != null && deployment.getStatus().getConditions() != null
                && deployment.getStatus().getConditions().stream()
                .anyMatch(c -> DEPLOYMENT_AVAILABLE.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()));
    }

    /** StatefulSets report no Available condition: every desired replica available. */
    static boolean available(StatefulSet set) {
        int desired = set.getSpec() == null || set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        int available = set.getStatus() == null || set.getStatus().getAvailableReplicas() == null ? 0
                : set.getStatus().getAvailableReplicas();
        return available >= desired;
    }

    private static RolloutProgress.Workload workload(HasMetadata workload) {
        return new RolloutProgress.Workload(workload.getMetadata().getNamespace() + "/" + workload.getKind() + "/"
                + workload.getMetadata().getName(), Instant.parse(workload.getMetadata().getCreationTimestamp()));
    }
}
