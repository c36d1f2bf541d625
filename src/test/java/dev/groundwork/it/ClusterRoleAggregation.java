package dev.groundwork.it;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Does once what kube-controller-manager's clusterrole-aggregation controller does all the time: the API server
 * bootstraps view, edit and admin with an aggregationRule and no rules, and the controller fills in the rules of
 * the ClusterRoles their selectors match. The test API server runs no controller manager, so without this a team
 * bound to view could do nothing at all.
 */
public final class ClusterRoleAggregation {
    private ClusterRoleAggregation() {
    }

    /** Fills in view, edit and admin (in that order: edit aggregates what view aggregates, and admin both). */
    public static void aggregateBuiltInRoles(KubernetesClient admin) {
        for (String name : List.of("view", "edit", "admin")) {
            aggregate(admin, name);
        }
    }

    static void aggregate(KubernetesClient admin, String name) {
        ClusterRole role = admin.rbac().clusterRoles().withName(name).get();
        if (role == null || role.getAggregationRule() == null) {
            return;
        }
        Set<PolicyRule> rules = new LinkedHashSet<>();
        for (LabelSelector selector : role.getAggregationRule().getClusterRoleSelectors()) {
            for (ClusterRole source : admin.rbac().clusterRoles().withLabelSelector(selector).list().getItems()) {
                if (!source.getMetadata().getName().equals(name) && source.getRules() != null) {
                    rules.addAll(source.getRules());
                }
            }
        }
        admin.rbac().clusterRoles().withName(name).edit(r -> {
            r.setRules(new ArrayList<>(rules));
            return r;
        });
    }
}
