package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.EnvironmentSpec;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What admission cannot judge about a standard because it needs the cluster: a standard that passes these would
 * not break products that are fine on the standard in force, nor name roles that do not exist. Only what the change
 * takes away counts: a product already at odds with the standard in force (an environment it never allowed) does
 * not make every later standard invalid.
 */
final class ClusterChecks {
    private ClusterChecks() {
    }

    /** @param inForce the standard products are on now, which the new one replaces */
    static List<String> problems(Standard standard, Standard inForce, List<ProductPlatform> products, KubernetesClient client) {
        List<String> problems = new ArrayList<>();
        for (String role : standard.access().bindableRoles()) {
            try {
                if (client.rbac().clusterRoles().withName(role).get() == null) {
                    problems.add("access.bindableRoles: ClusterRole " + role + " does not exist");
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                problems.add("access.bindableRoles: the operator may not bind ClusterRole " + role
                        + " (the chart grants bind on its standard.access.bindableRoles only)");
            }
        }
        Map<String, TreeSet<String>> usedEnvironments = new TreeMap<>();
        Map<String, TreeSet<String>> claimedProtected = new TreeMap<>();
        for (ProductPlatform product : products) {
            String name = product.getMetadata().getName();
            if (product.getSpec() != null) {
                for (EnvironmentSpec env : product.getSpec().environmentsOrEmpty()) {
                    if (!standard.allowsEnvironment(env.name()) && inForce.allowsEnvironment(env.name())) {
                        usedEnvironments.computeIfAbsent(env.name(), e -> new TreeSet<>()).add(name);
                    }
                }
            }
            if (product.getStatus() != null && product.getStatus().namespaces() != null) {
                product.getStatus().namespaces().stream()
                        .filter(n -> n.state() == NamespaceState.Ready && standard.protectedNamespaces().contains(n.name())
                                && !inForce.protectedNamespaces().contains(n.name()))
                        .forEach(n -> claimedProtected.computeIfAbsent(n.name(), ns -> new TreeSet<>()).add(name));
            }
        }
        usedEnvironments.forEach((env, users) -> problems.add("environments: " + env + " is missing but used by product "
                + String.join(", ", users)));
        claimedProtected.forEach((ns, owners) -> problems.add("protectedNamespaces: " + ns + " is a namespace of product "
                + String.join(", ", owners)));
        return problems;
    }
}
