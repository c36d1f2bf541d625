package dev.groundwork.drift;

import java.util.Map;
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

    /** Products whose last reconcile found them Ready (or not). */
    public long countReady(boolean ready) {
        return products.values().stream().filter(m -> m.ready().map(r -> r == ready).orElse(false)).count();
    }
}
