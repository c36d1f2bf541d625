package dev.groundwork.reconciler;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Problem;
import dev.groundwork.drift.Finding;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Assembles the status of a product from one reconcile's result, keeping what must survive from the previous one. */
final class StatusBuilder {
    static final String READY = "Ready";
    static final String IN_SYNC = "InSync";
    static final String DELETION_BLOCKED = "DeletionBlocked";

    private StatusBuilder() {
    }

    /**
     * @param areaReady       reason and message of each area when it is ready
     * @param deletionBlocked why a removed environment (or the product) cannot be deleted yet
     */
    static ProductPlatformStatus build(ProductPlatform product, String revision, ProductSync.Result result,
                                       Map<Area, String[]> areaReady, List<NamespaceStatus> extraNamespaces,
                                       Optional<Problem> deletionBlocked, DriftStatus drift) {
        ProductPlatformStatus previous = product.getStatus();
        long generation = product.getMetadata().getGeneration() == null ? 0 : product.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation);

        Map<Area, AreaConditions.Verdict> verdicts = new EnumMap<>(Area.class);
        for (Area area : Area.values()) {
            String[] ready = areaReady.get(area);
            verdicts.put(area, AreaConditions.judge(area, result.areas().get(area), ready[0], ready[1]));
        }
        Optional<Map.Entry<Area, AreaConditions.Verdict>> firstUnready = verdicts.entrySet().stream()
                .filter(e -> !e.getValue().ready()).findFirst();
        if (deletionBlocked.isPresent()) {
            conditions.set(READY, false, DELETION_BLOCKED, deletionBlocked.get().message());
        } else if (firstUnready.isPresent()) {
            AreaConditions.Verdict v = firstUnready.get().getValue();
            conditions.set(READY, false, v.reason(), firstUnready.get().getKey().conditionType() + " is False: " + v.message());
        } else {
            conditions.set(READY, true, READY, "The product meets the standard (revision " + revision + ").");
        }
        for (Area area : Area.values()) {
            AreaConditions.Verdict v = verdicts.get(area);
            conditions.set(area.conditionType(), v.ready(), v.reason(), v.message());
        }
        setInSync(conditions, result);
        deletionBlocked.ifPresent(p -> conditions.set(DELETION_BLOCKED, true, p.reason(), p.message()));

        List<NamespaceStatus> namespaces = new ArrayList<>(result.namespaces());
        namespaces.addAll(extraNamespaces);
        return new ProductPlatformStatus(generation, revision, result.managedObjects(), List.copyOf(namespaces),
                conditions.build(), drift);
    }

    /** Status while the finalizer waits: the last conditions, Ready False and DeletionBlocked saying why. */
    static ProductPlatformStatus deletionBlocked(ProductPlatform product, String revision, List<NamespaceStatus> namespaces,
                                                 Problem blocked) {
        ProductPlatformStatus previous = product.getStatus();
        List<Condition> earlier = previous == null || previous.conditions() == null ? List.of() : previous.conditions();
        Conditions conditions = new Conditions(earlier, product.getMetadata().getGeneration());
        conditions.set(READY, false, DELETION_BLOCKED, blocked.message());
        earlier.stream()
                .filter(c -> !DELETION_BLOCKED.equals(c.getType()) && !READY.equals(c.getType()))
                .forEach(c -> conditions.set(c.getType(), Conditions.TRUE.equals(c.getStatus()), c.getReason(), c.getMessage()));
        conditions.set(DELETION_BLOCKED, true, blocked.reason(), blocked.message());
        return new ProductPlatformStatus(previous == null ? null : previous.observedGeneration(), revision,
                previous == null ? null : previous.managedResources(), namespaces, conditions.build(),
                previous == null ? null : previous.drift());
    }

    private static void setInSync(Conditions conditions, ProductSync.Result result) {
        List<AreaOutcome.Deferred> deferred = result.areas().values().stream().flatMap(a -> a.deferred.stream()).toList();
        if (!deferred.isEmpty()) {
            conditions.set(IN_SYNC, false, AreaConditions.REPAIR_BACKED_OFF, AreaConditions.contested(deferred));
            return;
        }
        List<Finding> outstanding = result.areas().values().stream()
                .flatMap(a -> a.findings.stream())
                .filter(f -> f.action() != DriftAction.Repaired)
                .toList();
        if (outstanding.isEmpty()) {
            conditions.set(IN_SYNC, true, IN_SYNC, "No outstanding drift from the standard.");
        } else if (outstanding.stream().anyMatch(f -> f.action() == DriftAction.RepairFailed)) {
            conditions.set(IN_SYNC, false, "RepairFailed", "Drift could not be repaired: " + AreaConditions.list(outstanding) + ".");
        } else {
            conditions.set(IN_SYNC, false, AreaConditions.DRIFT_REPORTED, AreaConditions.list(outstanding) + ".");
        }
    }
}
