package dev.groundwork.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Installs and removes the CRDs of optional APIs (src/test/resources/crds) while an operator runs. */
public final class OptionalCrds {
    public static final String FLOW = "/crds/flows.logging.banzaicloud.io.yaml";
    public static final String REPORTS = "/crds/reports.openreports.io.yaml";

    private OptionalCrds() {
    }

    public static void remove(KubernetesClient client, String name) {
        if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null) {
            client.apiextensions().v1().customResourceDefinitions().withName(name).delete();
            client.apiextensions().v1().customResourceDefinitions().withName(name)
                    .waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
    }

    public static void install(KubernetesClient client, String resource) throws Exception {
        try (InputStream in = OptionalCrds.class.getResourceAsStream(resource)) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(crd).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
        }
    }
}
