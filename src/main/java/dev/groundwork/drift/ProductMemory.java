package dev.groundwork.drift;

import dev.groundwork.baseline.ObjectKey;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the operator remembers of one product between reconciles, in one place with one key (the object):
 * objects seen in place, repair backoff and drift already counted. Nothing in it is needed for correctness after
 * a restart (what must survive is in status); it is forgotten with the product, and per namespace when an
 * environment is released, so a re-added environment or a re-created product starts afresh.
 */
public final class ProductMemory {
    /** Objects seen in place since the operator started: only their disappearance is drift, not a first creation. */
    private final Set<ObjectKey> seen = ConcurrentHashMap.newKeySet();
    private final Map<ObjectKey, RepairBackoff.State> repairs = new ConcurrentHashMap<>();
    private final Map<ObjectKey, RepairBackoff.State> failedApplies = new ConcurrentHashMap<>();
    /** The API server's message for an apply it refused, kept for the status until the retry. */
    private final Map<ObjectKey, String> failures = new ConcurrentHashMap<>();
    /** Unresolved drift already counted, so it is recorded once and not on every reconcile. */
    private final Set<DriftLedger.Signature> outstanding = ConcurrentHashMap.newKeySet();
    private volatile Boolean ready;

    public boolean wasSeen(ObjectKey key) {
        return seen.contains(key);
    }

    public void sawInPlace(ObjectKey key) {
        seen.add(key);
    }

    /** Ours for a moment (deleted to be created again): its absence is not drift. */
    public void forgetSeen(ObjectKey key) {
        seen.remove(key);
    }

    public void failed(ObjectKey key, String message) {
        failures.put(key, message == null ? "" : message);
    }

    public Optional<String> lastFailure(ObjectKey key) {
        return Optional.ofNullable(failures.get(key));
    }

    /** The object is as desired (applied, or found so): any earlier refusal is over. */
    public void refusalOver(ObjectKey key) {
        failures.remove(key);
        failedApplies.remove(key);
    }

    private Map<ObjectKey, RepairBackoff.State> track(RepairBackoff.Track track) {
        return track == RepairBackoff.Track.REPAIRS ? repairs : failedApplies;
    }

    Optional<RepairBackoff.State> backoffState(RepairBackoff.Track track, ObjectKey key) {
        return Optional.ofNullable(track(track).get(key));
    }

    void backoffState(RepairBackoff.Track track, ObjectKey key, RepairBackoff.State state) {
        track(track).put(key, state);
    }

    Set<DriftLedger.Signature> outstanding() {
        return outstanding;
    }

    /** An object that is gone for good (pruned): nothing about it is remembered. */
    public void forget(ObjectKey key) {
        seen.remove(key);
        repairs.remove(key);
        refusalOver(key);
        outstanding.removeIf(signature -> signature.object().equals(key));
    }

    /** A released namespace and everything in it: if the environment comes back, nothing there is drift. */
    public void forgetNamespace(String namespace) {
        Predicate<ObjectKey> in = key -> namespace.equals(key.namespace())
                || (key.namespace() == null && "Namespace".equals(key.kind()) && namespace.equals(key.name()));
        seen.removeIf(in);
        repairs.keySet().removeIf(in);
        failedApplies.keySet().removeIf(in);
        failures.keySet().removeIf(in);
        outstanding.removeIf(signature -> in.test(signature.object()));
    }

    public Optional<Boolean> ready() {
        return Optional.ofNullable(ready);
    }

    public void ready(boolean ready) {
        this.ready = ready;
    }
}
