package dev.groundwork.it;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Pods as API objects (no node runs them), for what the API server judges of them: Pod Security. */
public final class Pods {
    private Pods() {
    }

    /**
     * A pod that restricted admits, or one that only baseline admits. The namespace's ServiceAccount {@code default}
     * is applied first: with no kube-controller-manager nobody else creates it, and admission wants it.
     */
    public static void create(KubernetesClient admin, String namespace, String name, boolean restricted) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("default").endMetadata().build()).serverSideApply();
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
        if (restricted) {
            pod.withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1")
                    .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext().endContainer().endSpec();
        } else {
            pod.withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer().endSpec();
        }
        admin.pods().inNamespace(namespace).resource(pod.build()).create();
    }
}
