package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.AdoptionPolicy;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.Problem;
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a product may adopt a namespace that exists and that groundwork did not create. Adopting writes a
 * default-deny policy, a quota and the team's RoleBinding with the operator's privileges, so whoever may declare a
 * ProductPlatform must not thereby gain a namespace that is not theirs: the namespace's owner consents by annotating
 * it with the label {@code groundwork.dev/adopt=<product>}, which needs the right to update the namespace (RBAC),
 * and which the namespace-identity admission policy lets exactly such a person set. The standard may allow any
 * adoption or none.
 */
final class Adoption {
    private Adoption() {
    }

    /** Why the product may not adopt the namespace, or empty when it may. */
    static Optional<Problem> refusal(AdoptionPolicy policy, Namespace live, String product, String environment) {
        String name = live.getMetadata().getName();
        return switch (policy) {
            case Always -> Optional.empty();
            case Never -> Optional.of(new Problem(Reason.AdoptionForbidden, "Namespace " + name + " exists and groundwork did "
                    + "not create it; the standard forbids adopting namespaces (namespaceAdoption: Never): choose a new "
                    + "namespace for environment " + environment + "."));
            case Consent -> consented(live, product) ? Optional.empty() : Optional.of(new Problem(Reason.AdoptionNotConsented,
                    "Namespace " + name + " exists and groundwork did not create it: nothing is written to it until someone "
                            + "allowed to update it consents with `kubectl label namespace " + name + " "
                            + Labels.ADOPTION_CONSENT + "=" + product + "`, or choose a new namespace for environment "
                            + environment + "."));
        };
    }

    static boolean consented(Namespace live, String product) {
        Map<String, String> labels = live.getMetadata().getLabels();
        return labels != null && product.equals(labels.get(Labels.ADOPTION_CONSENT));
    }
}
