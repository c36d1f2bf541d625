package dev.groundwork.api.v1alpha1;

/** How much a finding of a preview weighs: a blocking one holds the product back under impactPolicy Halt. */
public enum Severity {
    Blocking, Warning
}
