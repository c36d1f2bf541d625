package dev.groundwork.drift;

import dev.groundwork.baseline.ObjectKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-object exponential backoff of repairs, so a writer that keeps fighting the operator over a field gets a
 * bounded answer instead of a hot loop: the first repair is immediate, then 1 s, 2 s, 4 s … up to the maximum
 * between repairs. An object left alone for the quiet period starts afresh.
 */
public final class RepairBackoff {
    private final Duration initial;
    private final Duration max;
    private final Duration quiet;
    private final Map<ObjectKey, State> states = new ConcurrentHashMap<>();

    private record State(int repairs, Instant last, Instant next) {
    }

    public RepairBackoff(Duration initial, Duration max, Duration quiet) {
        this.initial = initial;
        this.max = max;
        this.quiet = quiet;
    }

    public static RepairBackoff defaults() {
        return new RepairBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    /** @return when a repair of the object may happen, if not now */
    public Optional<Instant> blockedUntil(ObjectKey key, Instant now) {
        State state = states.get(key);
        if (state == null || !now.isBefore(state.next())) {
            return Optional.empty();
        }
        return Optional.of(state.next());
    }

    public void repaired(ObjectKey key, Instant now) {
        states.compute(key, (k, state) -> {
            int repairs = state == null || Duration.between(state.last(), now).compareTo(quiet) > 0 ? 1 : state.repairs() + 1;
            Duration delay = initial.multipliedBy(1L << Math.min(repairs - 1, 30));
            return new State(repairs, now, now.plus(delay.compareTo(max) > 0 ? max : delay));
        });
    }

    /** Whether the object has been repaired more than once within the quiet period: someone is fighting. */
    public boolean contested(ObjectKey key, Instant now) {
        State state = states.get(key);
        return state != null && state.repairs() > 1 && Duration.between(state.last(), now).compareTo(quiet) <= 0;
    }

    public void forget(ObjectKey key) {
        states.remove(key);
    }
}
