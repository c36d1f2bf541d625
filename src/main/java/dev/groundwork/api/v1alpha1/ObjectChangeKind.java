package dev.groundwork.api.v1alpha1;

/** What a new revision of the standard would do to a baseline object. */
public enum ObjectChangeKind {
    Created, Updated, Pruned
}
