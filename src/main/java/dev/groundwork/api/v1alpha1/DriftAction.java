package dev.groundwork.api.v1alpha1;

public enum DriftAction {
    Repaired, Reported, RepairFailed,
    /** Enforce mode, but the repair waits: a writer keeps fighting over the object. */
    BackedOff
}
