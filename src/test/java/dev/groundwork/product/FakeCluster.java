package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.cluster.BaselineWriter;
import dev.groundwork.cluster.LiveObjects;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An in-memory view of live objects and a writer into it, for the sync engine without a cluster. It stores what is
 * applied as the API server would return it for the fields groundwork sets (the same content, a new
 * resourceVersion), counts every write, and refuses the objects a test says it should, with the API server's code
 * and message.
 */
final class FakeCluster implements LiveObjects, BaselineWriter {
    final Map<ObjectKey, HasMetadata> objects = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    final List<String> writes = new ArrayList<>();
    private Predicate<HasMetadata> refuse = o -> false;
    private int refusalCode;
    private String refusalMessage;
    private Predicate<HasMetadata> refuseDelete = o -> false;
    private int deleteRefusalCode;
    private long version = 100;

    static ProductPlatform product(String name, String specYaml) {
        return Serialization.unmarshal("""
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                  generation: 1
                spec:
                %s""".formatted(name, specYaml.stripTrailing().indent(2)), ProductPlatform.class);
    }

    static ResolvedProduct resolve(ProductPlatform product) {
        var standard = StandardLoader.defaults().standard();
        return new ProductResolver(standard, new HashSet<>(standard.protectedNamespaces())).resolve(product);
    }

    void refuse(Predicate<HasMetadata> which, int code, String message) {
        this.refuse = which;
        this.refusalCode = code;
        this.refusalMessage = message;
    }

    void stopRefusing() {
        refuse = o -> false;
    }

    /** Deletes of these objects fail with the API server's code (404: already gone). */
    void refuseDeletes(Predicate<HasMetadata> which, int code) {
        this.refuseDelete = which;
        this.deleteRefusalCode = code;
    }

    /** Someone else's change: the object as stored, edited. */
    <T extends HasMetadata> void edit(ObjectKey key, Class<T> type, java.util.function.Consumer<T> change) {
        T copy = Serialization.clone(type.cast(objects.get(key)));
        change.accept(copy);
        copy.getMetadata().setResourceVersion(Long.toString(++version));
        objects.put(key, copy);
    }

    void put(HasMetadata object) {
        objects.put(ObjectKey.of(object), object);
    }

    @Override
    public Optional<HasMetadata> get(ObjectKey key) {
        HasMetadata object = objects.get(key);
        return Optional.ofNullable(object).filter(Labels::isManaged);
    }

    @Override
    public List<HasMetadata> ofProduct(String product) {
        return objects.values().stream().filter(Labels::isManaged)
                .filter(o -> product.equals(o.getMetadata().getLabels().get(Labels.PRODUCT))).toList();
    }

    @Override
    public void remember(HasMetadata written, HasMetadata previous) {
        // The fake's store is the cache: nothing to do.
    }

    @Override
    public HasMetadata write(HasMetadata desired, HasMetadata live, UnaryOperator<HasMetadata> write) {
        return write.apply(desired);
    }

    Namespace namespace(String name) {
        return (Namespace) objects.get(new ObjectKey("Namespace", null, name));
    }

    @Override
    public HasMetadata apply(HasMetadata desired) {
        if (refuse.test(desired)) {
            writes.add("refused " + ObjectKey.of(desired));
            throw new KubernetesClientException(new StatusBuilder().withCode(refusalCode).withMessage(refusalMessage).build());
        }
        writes.add("apply " + ObjectKey.of(desired));
        HasMetadata stored = Serialization.clone(desired);
        HasMetadata previous = objects.get(ObjectKey.of(desired));
        if (previous != null && previous.getMetadata().getLabels() != null) {
            // Server-side apply keeps what others own: their labels stay.
            Map<String, String> labels = new TreeMap<>(previous.getMetadata().getLabels());
            labels.putAll(stored.getMetadata().getLabels());
            stored.getMetadata().setLabels(labels);
        }
        stored.getMetadata().setResourceVersion(Long.toString(++version));
        objects.put(ObjectKey.of(stored), stored);
        return stored;
    }

    @Override
    public HasMetadata recreate(HasMetadata desired, HasMetadata live) {
        writes.add("recreate " + ObjectKey.of(desired));
        objects.remove(ObjectKey.of(live));
        return apply(desired);
    }

    @Override
    public void delete(HasMetadata live) {
        if (refuseDelete.test(live)) {
            writes.add("refused delete " + ObjectKey.of(live));
            throw new KubernetesClientException(new StatusBuilder().withCode(deleteRefusalCode).build());
        }
        writes.add("delete " + ObjectKey.of(live));
        objects.remove(ObjectKey.of(live));
    }

    @Override
    public void unmanage(HasMetadata live) {
        writes.add("unmanage " + ObjectKey.of(live));
        HasMetadata stored = objects.get(ObjectKey.of(live));
        Map<String, String> labels = new TreeMap<>(stored.getMetadata().getLabels());
        labels.remove(Labels.MANAGED_BY);
        stored.getMetadata().setLabels(labels);
    }
}
