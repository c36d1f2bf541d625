package dev.groundwork.it.helm;

import dev.groundwork.it.Helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A release of the chart installed with the pinned helm into the shared test API server; uninstalled on close. */
final class ChartRelease implements AutoCloseable {
    private final String name;
    private final String namespace;
    private final List<Path> valueFiles = new ArrayList<>();
    private boolean installed;

    private ChartRelease(String name, String namespace) {
        this.name = name;
        this.namespace = namespace;
    }

    /** helm install NAME helm/groundwork -n NAMESPACE --create-namespace -f VALUES (no --wait: no pods run here). */
    static ChartRelease install(String name, String namespace, String values) {
        ChartRelease release = new ChartRelease(name, namespace);
        List<String> args = new ArrayList<>(List.of("install", name, Helm.CHART.toString(), "--namespace", namespace,
                "--create-namespace"));
        args.addAll(release.valuesArgs(values));
        Helm.ok(Helm.cluster(args.toArray(String[]::new)));
        release.installed = true;
        return release;
    }

    /** helm upgrade with the install's values plus these. */
    Helm.Result upgrade(String values) {
        List<String> args = new ArrayList<>(List.of("upgrade", name, Helm.CHART.toString(), "--namespace", namespace));
        args.addAll(valuesArgs(values));
        return Helm.cluster(args.toArray(String[]::new));
    }

    private List<String> valuesArgs(String values) {
        if (values != null && !values.isBlank()) {
            valueFiles.add(valuesFile(values));
        }
        List<String> args = new ArrayList<>();
        for (Path file : valueFiles) {
            args.add("--values");
            args.add(file.toString());
        }
        return args;
    }

    static Path valuesFile(String values) {
        try {
            Path file = Files.createTempFile("groundwork-values-", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, values);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    String namespace() {
        return namespace;
    }

    /** The name the chart gives the release's objects (groundwork.fullname). */
    String fullname() {
        return name.contains("groundwork") ? name : name + "-groundwork";
    }

    String manifest() {
        return Helm.ok(Helm.cluster("get", "manifest", name, "--namespace", namespace));
    }

    void uninstall() {
        if (installed) {
            Helm.ok(Helm.cluster("uninstall", name, "--namespace", namespace));
            installed = false;
        }
    }

    @Override
    public void close() {
        uninstall();
    }
}
