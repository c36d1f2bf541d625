package dev.groundwork.product;

import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.Problem;
import dev.groundwork.drift.Finding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one reconcile found and did in one area, across the product's environments. */
final class AreaOutcome {
    final List<Problem> problems = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    /**
     * Writes of the baseline's own changes (a creation, an update for a new spec or standard) the API server refused:
     * not drift, nobody changed the object, but not in place either.
     */
    final List<Finding> refused = new ArrayList<>();
    /** Findings on objects of another area that carry part of this one (the namespace's contract annotations). */
    final List<Finding> related = new ArrayList<>();
    /** Drift whose repair waits because a writer keeps fighting over the object. */
    final List<Deferred> deferred = new ArrayList<>();
    /** Objects written in this reconcile (created, updated or repaired). */
    final Set<ObjectKey> applied = new HashSet<>();
    /** When applies the API server refused are tried again. */
    final List<Instant> retries = new ArrayList<>();

    record Deferred(Finding finding, Instant until) {
    }
}
