package dev.groundwork.reconciler;

import dev.groundwork.baseline.ResolvedProduct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The AccessReady message: who gets which role where, so `kubectl describe` answers "what may my team do". */
final class AccessTexts {
    private AccessTexts() {
    }

    static String ready(ResolvedProduct product) {
        // Environments in spec order, grouped by role: "view in prod; edit in staging, dev".
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (ResolvedProduct.PlannedEnvironment planned : product.environments()) {
            String env = planned.environment().name();
            String role = product.access().roles().get(env);
            if (role != null) {
                byRole.computeIfAbsent(role, r -> new java.util.ArrayList<>()).add(env);
            }
        }
        String roles = byRole.entrySet().stream()
                .map(e -> "ClusterRole " + e.getKey() + " in " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        return "Group " + product.access().group() + " has " + roles + " (RoleBinding groundwork-team).";
    }
}
