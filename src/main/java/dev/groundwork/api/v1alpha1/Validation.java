package dev.groundwork.api.v1alpha1;

/** Patterns shared by the schema of several fields. */
final class Validation {
    /** A duration as Go and kubectl write it: 30s, 10m, 1h30m. */
    static final String DURATION = "^([0-9]+(ms|s|m|h))+$";
    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private Validation() {
    }
}
