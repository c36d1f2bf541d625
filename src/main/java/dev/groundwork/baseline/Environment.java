package dev.groundwork.baseline;

/** One environment of a product and the namespace it lives in. */
public record Environment(String name, String namespace) {
}
