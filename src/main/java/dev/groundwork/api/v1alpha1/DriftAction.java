package dev.groundwork.api.v1alpha1;

public enum DriftAction {
    Repaired, Reported, RepairFailed
}
