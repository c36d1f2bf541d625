package dev.groundwork.baseline;

/** Why an area cannot be applied: a stable CamelCase reason (an API) and a sentence a person can act on. */
public record Problem(String reason, String message) {
}
