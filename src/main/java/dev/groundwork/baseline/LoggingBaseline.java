package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kube-logging Flow that sends every pod's logs of the namespace to the sink's outputs. Written only when
 * the Flow API is installed and the standard enables it; the namespace annotations carry the contract otherwise.
 */
public final class LoggingBaseline {
    public static final String NAME = "groundwork-logging";
    public static final String FLOW_API_VERSION = "logging.banzaicloud.io/v1beta1";
    public static final String FLOW_KIND = "Flow";
    public static final String FLOW_CRD = "flows.logging.banzaicloud.io";

    private LoggingBaseline() {
    }

    public static Optional<GenericKubernetesResource> build(ResolvedProduct product, Environment env,
                                                             boolean flowEnabled, boolean flowApiInstalled) {
        if (!flowEnabled || !flowApiInstalled) {
            return Optional.empty();
        }
        return Optional.of(new GenericKubernetesResourceBuilder()
                .withApiVersion(FLOW_API_VERSION)
                .withKind(FLOW_KIND)
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(env.namespace())
                .withLabels(Labels.managed(product.name(), env.name()))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of(
                        "match", List.of(Map.of("select", Map.of())),
                        "globalOutputRefs", product.logging().outputs())))
                .build());
    }
}
