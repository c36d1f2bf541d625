package dev.groundwork.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pinned helm (hack/build-tools.sh builds it from its Go module), run as a user would: against a kubeconfig
 * file, with its cache, configuration and data in a temporary directory of this JVM so that nothing of the
 * machine's own Helm set-up is read or written.
 */
public final class Helm {
    /** The chart, relative to the project directory the tests run in. */
    public static final Path CHART = Path.of("helm", "groundwork");

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private static Path home;

    private Helm() {
    }

    public static Path binary() {
        String bin = System.getenv("GROUNDWORK_TOOLS_BIN");
        if (bin == null || bin.isBlank()) {
            String cache = System.getenv().getOrDefault("GROUNDWORK_TOOLS_CACHE",
                    System.getProperty("user.home") + "/.cache/groundwork-tools");
            bin = cache + "/bin";
        }
        return Path.of(bin, "helm");
    }

    /** helm without any cluster (lint, template, show). */
    public static Result run(String... args) {
        return exec(null, List.of(args));
    }

    /** helm against the shared test API server. */
    public static Result cluster(String... args) {
        return exec(ApiServer.kubeConfigFile(), List.of(args));
    }

    /** helm against the API server of the given kubeconfig. */
    public static Result cluster(Path kubeconfig, String... args) {
        return exec(kubeconfig, List.of(args));
    }

    /** Runs helm and fails with its output unless it succeeds. */
    public static String ok(Result result) {
        if (!result.ok()) {
            throw new AssertionError("helm failed: " + result);
        }
        return result.stdout();
    }

    private static Result exec(Path kubeconfig, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        if (kubeconfig != null) {
            command.add("--kubeconfig");
            command.add(kubeconfig.toString());
        }
        command.addAll(args);
        Path stderr = null;
        try {
            stderr = Files.createTempFile("helm-", ".stderr");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            Map<String, String> env = builder.environment();
            Path dirs = home();
            env.put("HELM_CACHE_HOME", dirs.resolve("cache").toString());
            env.put("HELM_CONFIG_HOME", dirs.resolve("config").toString());
            env.put("HELM_DATA_HOME", dirs.resolve("data").toString());
            env.remove("KUBECONFIG");
            env.remove("HELM_NAMESPACE");
            env.remove("HELM_KUBECONTEXT");
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("helm timed out: " + command);
            }
            return new Result(process.exitValue(), out, Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }

    private static synchronized Path home() throws IOException {
        if (home == null) {
            home = Files.createTempDirectory("groundwork-helm-");
            Path created = home;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
        }
        return home;
    }

    public static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
