package dev.groundwork.api.v1alpha1;

public enum DriftChange {
    Missing, Modified
}
