package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The operator's built-in standard with overrides, as the chart's standard file gives them; and the cluster's
 * PlatformStandard {@code default}, as the tests that change it read and remove it.
 */
public final class Standards {
    /** The one PlatformStandard the operator reads. */
    public static final String NAME = "default";

    private Standards() {
    }

    /** The PlatformStandard in the cluster; null when there is none. */
    public static PlatformStandard current(KubernetesClient client) {
        return client.resources(PlatformStandard.class).withName(NAME).get();
    }

    /** Deletes the PlatformStandard and waits until it is gone: later test classes get the built-in standard again. */
    public static void deleteAndAwaitGone(KubernetesClient client, Duration atMost) {
        client.resources(PlatformStandard.class).withName(NAME).delete();
        client.resources(PlatformStandard.class).withName(NAME).waitUntilCondition(Objects::isNull, atMost.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** The operator's namespace, where the standard's revisions are stored as ControllerRevisions. */
    public static void createOperatorNamespace(KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("groundwork-system").endMetadata()
                .build()).serverSideApply();
    }

    public static LoadedStandard fromYaml(String overrides) {
        try {
            Path file = Files.createTempFile("standard-", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, overrides);
            return StandardLoader.load(Optional.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
