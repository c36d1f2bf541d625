package dev.groundwork.api.v1alpha1;

/**
 * Whether a product may adopt a namespace that exists and that groundwork did not create. Adopting writes policies,
 * a quota and a RoleBinding into the namespace with the operator's privileges, so by default it needs the consent of
 * someone allowed to update that namespace: the label {@code groundwork.dev/adopt: <product>} on it.
 */
public enum AdoptionPolicy {
    /** Only a namespace labelled {@code groundwork.dev/adopt: <product>} (the default). */
    Consent,
    /** Any namespace that is not protected and not another product's, as before consent existed. */
    Always,
    /** None: products get only namespaces groundwork creates. */
    Never
}
