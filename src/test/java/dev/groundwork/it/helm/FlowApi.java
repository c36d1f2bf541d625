package dev.groundwork.it.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.concurrent.TimeUnit;

/**
 * The kube-logging Flow API (flows.logging.banzaicloud.io), reduced to what the operator uses (any spec), so that
 * the operator writes Flows and the chart's role is proven to allow it. Removed again by whoever installed it.
 */
final class FlowApi {
    static final String CRD = "flows.logging.banzaicloud.io";

    private FlowApi() {
    }

    /** @return whether this call installed it (false: it was there already, and must be left in place) */
    static boolean install(KubernetesClient admin) {
        if (admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get() != null) {
            return false;
        }
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(CRD).endMetadata()
                .withNewSpec()
                .withGroup("logging.banzaicloud.io")
                .withScope("Namespaced")
                .withNewNames().withKind("Flow").withListKind("FlowList").withPlural("flows").withSingular("flow").endNames()
                .addNewVersion().withName("v1beta1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
        admin.resource(crd).create();
        admin.apiextensions().v1().customResourceDefinitions().withName(CRD).waitUntilCondition(c -> c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream().anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())),
                30, TimeUnit.SECONDS);
        return true;
    }

    static void uninstall(KubernetesClient admin) {
        admin.apiextensions().v1().customResourceDefinitions().withName(CRD).delete();
        admin.apiextensions().v1().customResourceDefinitions().withName(CRD).waitUntilCondition(java.util.Objects::isNull,
                60, TimeUnit.SECONDS);
    }
}
