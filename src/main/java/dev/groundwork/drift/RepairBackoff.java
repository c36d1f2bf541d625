package dev.groundwork.drift;

import dev.groundwork.baseline.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-object exponential backoff of repairs, so a writer that keeps fighting the operator over a field gets a
 * bounded answer instead of a hot loop: the first repair is immediate, then 1 s, 2 s, 4 s … up to the maximum
 * between repairs. An object left alone for the quiet period starts afresh. The state lives in the product's
 * {@link ProductMemory}; this class is the policy.
 */
public final class RepairBackoff {
    private final Track track;
    private final Duration initial;
    private final Duration max;
    private final Duration quiet;

    /** What is backed off: repairs of drift others cause, or applies the API server refused. */
    public enum Track {
        REPAIRS, FAILED_APPLIES
    }

    record State(int repairs, Instant last, Instant next) {
    }

    public RepairBackoff(Track track, Duration initial, Duration max, Duration quiet) {
        this.track = track;
        this.initial = initial;
        this.max = max;
        this.quiet = quiet;
    }

    /** Repairs against a writer that keeps fighting: 1 s doubling to 5 minutes. */
    public static RepairBackoff repairs() {
        return new RepairBackoff(Track.REPAIRS, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    /**
     * Applies the API server refused (timeouts, 5xx, 429, conflicts, admission): 1 s doubling to 8 s, so a refusal
     * that ends is followed by a successful apply within seconds, without waiting for the resync.
     */
    public static RepairBackoff failedApplies() {
        return new RepairBackoff(Track.FAILED_APPLIES, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1));
    }

    /** @return when a repair of the object may happen, if not now */
    public Optional<Instant> blockedUntil(ProductMemory memory, ObjectKey key, Instant now) {
        return memory.backoffState(track, key).map(State::next).filter(now::isBefore);
    }

    public void repaired(ProductMemory memory, ObjectKey key, Instant now) {
        State state = memory.backoffState(track, key).orElse(null);
        int repairs = state == null || Duration.between(state.last(), now).compareTo(quiet) > 0 ? 1 : state.repairs() + 1;
        Duration delay = initial.multipliedBy(1L << Math.min(repairs - 1, 30));
        memory.backoffState(track, key, new State(repairs, now, now.plus(delay.compareTo(max) > 0 ? max : delay)));
    }
}
