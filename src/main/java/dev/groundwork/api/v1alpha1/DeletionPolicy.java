package dev.groundwork.api.v1alpha1;

public enum DeletionPolicy {
    Retain, Delete
}
