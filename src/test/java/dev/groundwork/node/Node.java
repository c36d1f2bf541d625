package dev.groundwork.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one single-node cluster of the node tier (hack/node.sh), started once per JVM by the first test that needs it
 * ({@link NodeExtension}) and torn down by {@link TeardownNodeIT} (which asserts that nothing is left) or, when that
 * does not run (a test selection, a failure, Ctrl-C), by a shutdown hook. `hack/node.sh down` is idempotent, and
 * `up` tears down a leftover of a killed run in the same work dir first.
 */
public final class Node {
    public static final Path ROOT = Path.of("").toAbsolutePath();
    public static final Path SCRIPT = ROOT.resolve("hack/node.sh");
    public static final Path IMAGES = ROOT.resolve("target/images");
    public static final Path REPORTS = ROOT.resolve("target/node");

    private static Node shared;
    private static RuntimeException startFailure;

    private final Map<String, String> env;
    private final KubernetesClient client;
    private final Duration startTime;
    private boolean down;

    private Node(Map<String, String> env, Duration startTime) {
        this.env = env;
        this.startTime = startTime;
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(read(Path.of(env.get("KUBECONFIG"))))).build();
    }

    /** The running node, started on first use. A node that fails to start fails every test of the tier. */
    public static synchronized Node shared() {
        if (startFailure != null) {
            throw new IllegalStateException("the node did not start (see the first failure)", startFailure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException | Error e) {
                startFailure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                down(false);
                throw e;
            }
        }
        if (shared.down) {
            throw new IllegalStateException("the node was already torn down");
        }
        return shared;
    }

    /** Whether the node was started, or tried to start and failed. */
    static synchronized boolean attempted() {
        return shared != null || startFailure != null;
    }

    private static Node start() {
        try {
            Files.createDirectories(REPORTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant t0 = Instant.now();
        // A leftover of a killed run in the same work dir goes first, so that "before" is the machine without a node.
        run(Duration.ofMinutes(3), "down");
        run(Duration.ofMinutes(2), "snapshot", REPORTS.resolve("before.txt").toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> down(false), "node-teardown"));
        run(Duration.ofMinutes(4), "up");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : run(Duration.ofSeconds(30), "env").stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        run(Duration.ofMinutes(3), "load", IMAGES.resolve("operator.tar").toString(), IMAGES.resolve("busybox.tar").toString());
        Duration took = Duration.between(t0, Instant.now());
        System.out.println("[node] up, images loaded, in " + took.toMillis() + " ms: " + env);
        return new Node(env, took);
    }

    /** Tears the node down (idempotent). With verify, returns the differences between before set-up and now. */
    static synchronized String down(boolean verify) {
        if (shared != null) {
            shared.client.close();
            shared.down = true;
        }
        Instant t0 = Instant.now();
        Result result = exec(Duration.ofMinutes(3), "down");
        System.out.println("[node] down in " + Duration.between(t0, Instant.now()).toMillis() + " ms (exit "
                + result.exitCode() + ")\n" + result.stderr());
        if (!verify) {
            return "";
        }
        if (!result.ok()) {
            return "hack/node.sh down failed: " + result;
        }
        Path after = REPORTS.resolve("after.txt");
        run(Duration.ofMinutes(2), "snapshot", after.toString());
        return diff(read(REPORTS.resolve("before.txt")), read(after));
    }

    static String diff(String before, String after) {
        List<String> b = List.of(before.split("\n"));
        List<String> a = List.of(after.split("\n"));
        List<String> out = new ArrayList<>();
        b.stream().filter(l -> !a.contains(l)).forEach(l -> out.add("- " + l));
        a.stream().filter(l -> !b.contains(l)).forEach(l -> out.add("+ " + l));
        return String.join("\n", out);
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return Path.of(env.get("KUBECONFIG"));
    }

    public String nodeName() {
        return env.get("NODE_NAME");
    }

    public Duration startTime() {
        return startTime;
    }

    /** kubectl against the node. */
    public Result kubectl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.bin("kubectl").toString(), "--kubeconfig", kubeconfig().toString()));
        cmd.addAll(List.of(args));
        return Result.exec(cmd, null, Duration.ofMinutes(3));
    }

    /** helm against the node, with its cache, config and data in target/node/helm. */
    public Result helm(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.bin("helm").toString(), "--kubeconfig", kubeconfig().toString()));
        cmd.addAll(List.of(args));
        Path home = REPORTS.resolve("helm");
        Map<String, String> env = Map.of("HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(), "HELM_DATA_HOME", home.resolve("data").toString());
        return Result.exec(cmd, env, Duration.ofMinutes(5));
    }

    private static Result run(Duration timeout, String... args) {
        Result result = exec(timeout, args);
        if (!result.ok()) {
            throw new AssertionError("hack/node.sh " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    private static Result exec(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return Result.exec(cmd, null, timeout);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished command: exit code and output. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String ok(String what) {
            if (!ok()) {
                throw new AssertionError(what + " failed: " + this);
            }
            return stdout;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }

        static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) {
            try {
                Path out = Files.createTempFile("node-out-", ".txt");
                Path err = Files.createTempFile("node-err-", ".txt");
                try {
                    ProcessBuilder builder = new ProcessBuilder(cmd).directory(ROOT.toFile())
                            .redirectOutput(out.toFile()).redirectError(err.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                    if (env != null) {
                        builder.environment().putAll(env);
                    }
                    Process process = builder.start();
                    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly().waitFor();
                        return new Result(-1, Files.readString(out), Files.readString(err) + "\n(timed out after " + timeout + ")");
                    }
                    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
                } finally {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
