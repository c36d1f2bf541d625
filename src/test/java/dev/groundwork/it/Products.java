package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Helpers to write products the way users do (YAML) and read their conditions. */
public final class Products {
    private Products() {
    }

    public static ProductPlatform apply(KubernetesClient client, String yaml) {
        ProductPlatform product = client.resources(ProductPlatform.class)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item();
        return client.resource(product).fieldManager("kubectl").forceConflicts().serverSideApply();
    }

    /** The product; null when there is none. */
    public static ProductPlatform named(KubernetesClient client, String name) {
        return client.resources(ProductPlatform.class).withName(name).get();
    }

    /** Deletes the products while an operator runs, so its finalizer lets them go, and waits until they are gone. */
    public static void deleteAndAwaitGone(KubernetesClient client, Collection<String> names) {
        for (String name : names) {
            client.resources(ProductPlatform.class).withName(name).delete();
        }
        for (String name : names) {
            client.resources(ProductPlatform.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
    }

    public static Optional<Condition> condition(ProductPlatform product, String type) {
        if (product == null || product.getStatus() == null || product.getStatus().conditions() == null) {
            return Optional.empty();
        }
        return product.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(ProductPlatform product, String type) {
        return condition(product, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    public static String reason(ProductPlatform product, String type) {
        return condition(product, type).map(Condition::getReason).orElse(null);
    }
}
