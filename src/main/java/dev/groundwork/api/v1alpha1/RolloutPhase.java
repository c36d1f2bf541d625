package dev.groundwork.api.v1alpha1;

/** Where the rollout of the standard's target revision is: {@code status.rollout.phase} of the PlatformStandard. */
public enum RolloutPhase {
    /** Every product is on the target revision. */
    Complete,
    /** Waves are moving. */
    Progressing,
    /** {@code spec.rollout.paused}: no new wave starts. */
    Paused,
    /** A wave had more failures than {@code maxFailures}: later waves keep their revision until resume or rollback. */
    Halted
}
