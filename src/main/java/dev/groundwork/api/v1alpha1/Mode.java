package dev.groundwork.api.v1alpha1;

/** Enforce repairs drift; Audit only reports it and writes nothing into product namespaces. */
public enum Mode {
    Enforce, Audit
}
