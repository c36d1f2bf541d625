package dev.groundwork.reconciler;

import dev.groundwork.baseline.Labels;
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Decides whether a product may write a namespace, and serialises the check with the write so two products
 * reconciled at the same moment cannot both claim one namespace (only the leader reconciles, so an in-process
 * lock is enough).
 */
final class NamespaceClaims {
    enum Claim { FREE, OURS, UNLABELLED, OTHER_PRODUCT, TERMINATING }

    record Verdict(Claim claim, Namespace live, String owner) {
    }

    private final Function<String, Namespace> lookup;
    private final ReentrantLock lock = new ReentrantLock();

    /** @param lookup reads a namespace from the API server (unmanaged namespaces are not cached) */
    NamespaceClaims(Function<String, Namespace> lookup) {
        this.lookup = lookup;
    }

    /**
     * @param cached the namespace as the managed cache holds it, if it does; otherwise the API server is asked,
     *               since unmanaged namespaces are not cached
     */
    <T> T withClaim(String namespace, String product, Optional<Namespace> cached, Function<Verdict, T> action) {
        lock.lock();
        try {
            Namespace live = cached.orElseGet(() -> lookup.apply(namespace));
            return action.apply(judge(live, product));
        } finally {
            lock.unlock();
        }
    }

    static Verdict judge(Namespace live, String product) {
        if (live == null) {
            return new Verdict(Claim.FREE, null, null);
        }
        Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        String owner = labels.get(Labels.PRODUCT);
        if (owner != null && !owner.equals(product)) {
            return new Verdict(Claim.OTHER_PRODUCT, live, owner);
        }
        if (live.getMetadata().getDeletionTimestamp() != null) {
            return new Verdict(Claim.TERMINATING, live, owner);
        }
        return new Verdict(owner == null ? Claim.UNLABELLED : Claim.OURS, live, owner);
    }
}
