package dev.groundwork.api.v1alpha1;

/**
 * What a blocking finding of a product's preview does when the product's wave starts: Halt holds the product on the
 * revision it is on and halts the rollout (resume accepts the findings), Warn moves it and keeps the finding reported.
 */
public enum ImpactPolicy {
    Halt, Warn
}
