package dev.groundwork.cluster;

import dev.groundwork.api.v1alpha1.ProductPlatform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The products' controller's cache of ProductPlatforms drops their managedFields as they enter it: nothing reads them
 * (drift is judged on the managed objects, and JOSDK's status and finalizer patches build their own objects), and
 * the entries of the product's apply and of groundwork's status apply (every condition, every namespace) were the
 * largest part of each cached product. Label and annotation strings are shared across the fleet.
 */
public final class ProductItemStore extends TransformingItemStore<ProductPlatform> {
    /** Public, with no parameters: JOSDK creates it from {@code @Informer(itemStore = ...)}. */
    public ProductItemStore() {
        super(ProductItemStore::prune);
    }

    static ProductPlatform prune(ProductPlatform product) {
        var meta = product.getMetadata();
        meta.setManagedFields(null);
        meta.setLabels(interned(meta.getLabels()));
        meta.setAnnotations(interned(meta.getAnnotations()));
        return product;
    }

    private static Map<String, String> interned(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return map;
        }
        Map<String, String> interned = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
        map.forEach((k, v) -> interned.put(k.intern(), v == null ? null : v.length() <= 64 ? v.intern() : v));
        return interned;
    }
}
