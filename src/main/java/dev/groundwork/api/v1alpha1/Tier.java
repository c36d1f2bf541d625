package dev.groundwork.api.v1alpha1;

/** Service tier; lower-case because it is also a label value and a key of the standard. */
public enum Tier {
    critical, standard, sandbox
}
