package dev.groundwork.drift;

import dev.groundwork.baseline.ObjectKey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    /**
     * Unresolved drift already counted, with the time it was first seen, so it is recorded once and resolved once.
     * Loaded from status on first use (after a restart); an episode on an object that is pruned or released stays
     * until the ledger resolves it as withdrawn.
     */
    private final Map<ObjectKey, DriftLedger.Open> openDrift = new ConcurrentHashMap<>();
    private volatile boolean historyLoaded;
    private volatile Boolean ready;
    /** Facts for the fleet gauges: the product's tier, the standard revision in its status, drift outstanding. */
    private volatile String tier;
    private volatile String revision;
    private volatile boolean inDrift;

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

    Map<ObjectKey, DriftLedger.Open> openDrift() {
        return openDrift;
    }

    boolean historyLoaded() {
        return historyLoaded;
    }

    void historyLoaded(boolean loaded) {
        historyLoaded = loaded;
    }

    /** The product's drift outstanding now, oldest first. */
    public List<DriftLedger.Open> outstanding() {
        return openDrift.values().stream().sorted(Comparator.comparing(DriftLedger.Open::since)).toList();
    }

    /** An object that is gone for good (pruned): nothing about it is remembered. */
    public void forget(ObjectKey key) {
        seen.remove(key);
        repairs.remove(key);
        refusalOver(key);
    }

    /** A released namespace and everything in it: if the environment comes back, nothing there is drift. */
    public void forgetNamespace(String namespace) {
        Predicate<ObjectKey> in = key -> namespace.equals(key.namespace())
                || (key.namespace() == null && "Namespace".equals(key.kind()) && namespace.equals(key.name()));
        seen.removeIf(in);
        repairs.keySet().removeIf(in);
        failedApplies.keySet().removeIf(in);
        failures.keySet().removeIf(in);
    }

    public Optional<Boolean> ready() {
        return Optional.ofNullable(ready);
    }

    public void ready(boolean ready) {
        this.ready = ready;
    }

    public Optional<String> tier() {
        return Optional.ofNullable(tier);
    }

    public Optional<String> revision() {
        return Optional.ofNullable(revision);
    }

    public boolean inDrift() {
        return inDrift;
    }

    /** @return whether the revision differs from the one remembered */
    public boolean facts(String tier, String revision, boolean inDrift) {
        boolean revisionChanged = !Objects.equals(this.revision, revision);
        this.tier = tier;
        this.revision = revision;
        this.inDrift = inDrift;
        return revisionChanged;
    }
}
