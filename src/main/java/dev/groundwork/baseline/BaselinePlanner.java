package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pure function from (product, standard, cluster facts) to the desired objects of every environment.
 * An area with a problem contributes no object, so nothing is written or pruned for it.
 */
public final class BaselinePlanner {
    private final Standard standard;

    public BaselinePlanner(Standard standard) {
        this.standard = standard;
    }

    /**
     * @param liveNamespaceAnnotations the annotations the environment namespace has now; an area with a problem
     *                                 keeps its annotations as they are instead of losing them
     */
    public Baseline plan(ResolvedProduct product, ClusterFacts facts,
                         Function<String, Map<String, String>> liveNamespaceAnnotations) {
        List<Baseline.EnvironmentBaseline> environments = new ArrayList<>();
        for (ResolvedProduct.PlannedEnvironment planned : product.environments()) {
            Environment env = planned.environment();
            if (planned.problem().isPresent()) {
                environments.add(new Baseline.EnvironmentBaseline(env, planned.problem(), List.of()));
                continue;
            }
            List<DesiredObject> objects = new ArrayList<>();
            Map<String, String> annotations = contractAnnotations(product, liveNamespaceAnnotations.apply(env.namespace()));
            objects.add(new DesiredObject(Area.namespaces, env, NamespaceBaseline.build(product, env, standard, annotations)));
            if (product.problem(Area.networking).isEmpty()) {
                NetworkingBaseline.build(product, env, standard, facts.peers())
                        .forEach(policy -> objects.add(new DesiredObject(Area.networking, env, policy)));
            }
            if (product.problem(Area.storage).isEmpty()) {
                for (HasMetadata object : StorageBaseline.build(product, env, facts.storageClasses())) {
                    objects.add(new DesiredObject(Area.storage, env, object));
                }
            }
            if (product.problem(Area.logging).isEmpty()) {
                LoggingBaseline.build(product, env, standard.logging().flowEnabled(), facts.flowApiInstalled())
                        .ifPresent(flow -> objects.add(new DesiredObject(Area.logging, env, flow)));
            }
            if (product.problem(Area.access).isEmpty()) {
                objects.add(new DesiredObject(Area.access, env, AccessBaseline.build(product, env)));
            }
            environments.add(new Baseline.EnvironmentBaseline(env, Optional.empty(), objects));
        }
        return new Baseline(product, environments);
    }

    private static Map<String, String> contractAnnotations(ResolvedProduct product, Map<String, String> live) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (product.problem(Area.logging).isEmpty()) {
            annotations.putAll(NamespaceBaseline.loggingAnnotations(product.logging()));
        } else {
            keep(live, Labels.LOG_SINK, annotations);
            keep(live, Labels.LOG_RETENTION_DAYS, annotations);
        }
        if (product.problem(Area.storage).isEmpty()) {
            annotations.putAll(NamespaceBaseline.storageAnnotations(product.storage()));
        } else {
            keep(live, Labels.ALLOWED_STORAGE_CLASSES, annotations);
        }
        return annotations;
    }

    private static void keep(Map<String, String> live, String key, Map<String, String> into) {
        if (live.containsKey(key)) {
            into.put(key, live.get(key));
        }
    }
}
