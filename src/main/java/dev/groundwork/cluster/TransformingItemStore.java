package dev.groundwork.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.function.UnaryOperator;

/** An informer store that keeps each object as a transformation makes it when it enters the cache. */
public class TransformingItemStore<R extends HasMetadata> extends BasicItemStore<R> {
    private final UnaryOperator<R> transform;

    public TransformingItemStore(UnaryOperator<R> transform) {
        super(Cache::metaNamespaceKeyFunc);
        this.transform = transform;
    }

    @Override
    public R put(String key, R object) {
        return super.put(key, transform.apply(object));
    }
}
