package dev.groundwork.baseline;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything a product should have in the cluster, environment by environment. */
public record Baseline(ResolvedProduct product, List<EnvironmentBaseline> environments) {

    /** Every desired object, of every environment. */
    public Set<ObjectKey> keys() {
        return environments.stream().flatMap(e -> e.objects().stream()).map(DesiredObject::key).collect(Collectors.toSet());
    }

    /**
     * @param problem  why nothing is written for this environment (a protected namespace, say); then objects is empty
     * @param objects  the namespace first, then the objects of every area without a problem
     */
    public record EnvironmentBaseline(Environment environment, Optional<Problem> problem, List<DesiredObject> objects) {
    }
}
