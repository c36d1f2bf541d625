package dev.groundwork.product;

import dev.groundwork.api.Labels;
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Decides whether a product may write a namespace, and serialises the check with the write so two products
 * reconciled at the same moment cannot both claim one namespace (only the leader reconciles, so an in-process
 * lock is enough). The lock is per namespace name (one of a fixed set of stripes, chosen by the name's hash): claims
 * of different namespaces go on in parallel, while two claims of one name always meet the same lock.
 */
final class NamespaceClaims {
    enum Claim { FREE, OURS, UNLABELLED, OTHER_PRODUCT, TERMINATING }

    record Verdict(Claim claim, Namespace live, String owner) {
    }

    private static final int STRIPES = 64;

    private final Function<String, Namespace> lookup;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** @param lookup reads a namespace from the API server (unmanaged namespaces are not cached) */
    NamespaceClaims(Function<String, Namespace> lookup) {
        this.lookup = lookup;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * @param cached the namespace as the managed cache holds it, if it does; otherwise the API server is asked,
     *               since unmanaged namespaces are not cached
     */
    <T> T withClaim(String namespace, String product, Optional<Namespace> cached, Function<Verdict, T> action) {
        ReentrantLock lock = lockOf(namespace);
        lock.lock();
        try {
            Namespace live = cached.orElseGet(() -> lookup.apply(namespace));
            return action.apply(judge(live, product));
        } finally {
            lock.unlock();
        }
    }

    ReentrantLock lockOf(String namespace) {
        return locks[Math.floorMod(namespace.hashCode(), STRIPES)];
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
