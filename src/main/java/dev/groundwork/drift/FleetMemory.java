package dev.groundwork.drift;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Each product's {@link ProductMemory}, created on first use and forgotten when the product is deleted. */
public final class FleetMemory {
    private final Map<String, ProductMemory> products = new ConcurrentHashMap<>();

    public ProductMemory of(String product) {
        return products.computeIfAbsent(product, p -> new ProductMemory());
    }

    public void forget(String product) {
        products.remove(product);
    }

    /** Products of the tier with drift outstanding. */
    public long countInDrift(String tier) {
        return products.values().stream().filter(m -> m.inDrift() && m.tier().map(tier::equals).orElse(false)).count();
    }

    /** Products by the standard revision their status names. */
    public Map<String, Long> countByRevision() {
        Map<String, Long> counts = new TreeMap<>();
        products.values().forEach(m -> m.revision().ifPresent(r -> counts.merge(r, 1L, Long::sum)));
        return counts;
    }

    /** Products whose last reconcile found them Ready (or not). */
    public long countReady(boolean ready) {
        return products.values().stream().filter(m -> m.ready().map(r -> r == ready).orElse(false)).count();
    }
}
