package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.Reason;

/** Why an area cannot be applied: a stable reason (an API) and a sentence a person can act on. */
public record Problem(Reason reason, String message) {
}
