package dev.groundwork.api.v1alpha1;

public enum NamespaceState {
    Ready, Conflict, Pending, Retained
}
