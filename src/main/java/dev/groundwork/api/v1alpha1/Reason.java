package dev.groundwork.api.v1alpha1;

/**
 * Every reason a condition of a ProductPlatform or the PlatformStandard can give, defined once: reasons are an API
 * (CamelCase, stable), so alerts and scripts can rely on them. The message that goes with a reason is for people.
 */
public enum Reason {
    // An area, or the whole product, is as the standard says.
    Ready, InSync, NamespacesApplied, PoliciesApplied, QuotaApplied, FlowApplied, LabelsApplied, LogPipelineMissing,
    RoleBindingApplied,
    // Drift, in the order of precedence the status gives it (see StatusAggregator).
    ApplyFailed, RepairBackedOff, DriftReported,
    // Whole-product states.
    DeletionBlocked, ReconcileFailed,
    // Semantic problems: the spec cannot be applied as declared; nothing is written for that part.
    StorageClassNotAllowed, StorageAboveTierCeiling, ClaimSizeAboveTotal, UnknownLogSink, RetentionAboveTierCeiling,
    EnvironmentNotAllowed, NamespaceProtected, DuplicateNamespace, NamespaceOwnedByAnotherProduct, NamespaceTerminating,
    PersistentVolumeClaimsPresent, RoleNotBindable,
    // An existing namespace groundwork did not create: adopted only with its owner's consent, or not at all.
    AdoptionNotConsented, AdoptionForbidden,
    // An area with nothing written to some environment's namespace (the namespace condition says why).
    NamespaceNotWritten,
    // The PlatformStandard.
    Valid, Invalid, BuiltInStandard, RolloutComplete, RolloutProgressing, RolloutPaused, RolloutHalted, AllProductsUpdated,
    ProductsUpdating
}
