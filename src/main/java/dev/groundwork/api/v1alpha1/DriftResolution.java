package dev.groundwork.api.v1alpha1;

/** How a drift ended. */
public enum DriftResolution {
    /** groundwork wrote the standard back. */
    Repaired,
    /** The object matched the standard again without groundwork writing it: someone else fixed it (Audit mode). */
    FixedByOthers,
    /** The object stopped being part of the product's baseline (environment removed, spec or standard changed). */
    Withdrawn
}
