package dev.groundwork.it.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod of the chart's Deployment without a kubelet: the packaged operator (target/quarkus-app, the jar the
 * image runs) started as a local process the way the kubelet would start the container, from the live
 * Deployment and ConfigMap in the API server: the container's env (downward-API fields resolved), its ConfigMap
 * volumes written to a temporary directory that stands in for their mount paths, HOSTNAME set to the pod name,
 * and the ServiceAccount's token as its only credential. Only the HTTP address differs (a free loopback port).
 */
final class ChartOperator implements AutoCloseable {
    static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final String podName;
    private final Process process;
    private final int port;
    private final Path root;
    private final List<String> lines = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChartOperator(String podName, Process process, int port, Path root) {
        this.podName = podName;
        this.process = process;
        this.port = port;
        this.root = root;
        Thread reader = new Thread(this::read, "operator-" + podName);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param deployment the chart's Deployment, as installed
     * @param podName    the pod's name (HOSTNAME, the leader-election identity)
     * @param credentials the kubeconfig the operator uses: a token of the Deployment's ServiceAccount
     */
    static ChartOperator start(KubernetesClient admin, String namespace, String deployment, String podName,
                               ServiceAccountAccess credentials) {
        Deployment live = admin.apps().deployments().inNamespace(namespace).withName(deployment).get();
        if (live == null) {
            throw new AssertionError("no Deployment " + namespace + "/" + deployment);
        }
        PodSpec pod = live.getSpec().getTemplate().getSpec();
        String serviceAccount = pod.getServiceAccountName();
        if (!credentials.subject().equals("system:serviceaccount:" + namespace + ":" + serviceAccount)) {
            throw new AssertionError("the pod runs as " + serviceAccount + ", not as " + credentials.subject());
        }
        Container container = pod.getContainers().get(0);
        try {
            Path root = Files.createTempDirectory("groundwork-pod-" + podName + "-");
            Map<String, Path> mounts = mountVolumes(admin, namespace, pod, container, root);
            int port = freePort();
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar var : container.getEnv()) {
                env.put(var.getName(), resolve(var, namespace, podName, mounts));
            }
            env.put("HOSTNAME", podName);
            env.put("KUBECONFIG", credentials.kubeconfig().toString());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");

            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Djava.io.tmpdir=" + mounts.getOrDefault("/tmp", root),
                    "-jar", APP.toAbsolutePath().toString()).redirectErrorStream(true);
            Map<String, String> processEnv = builder.environment();
            processEnv.keySet().removeIf(k -> k.startsWith("GROUNDWORK_") || k.startsWith("QUARKUS_") || k.equals("KUBECONFIG"));
            processEnv.putAll(env);
            return new ChartOperator(podName, builder.start(), port, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes each ConfigMap volume's keys as files and creates each emptyDir, keyed by the container's mount path. */
    private static Map<String, Path> mountVolumes(KubernetesClient admin, String namespace, PodSpec pod, Container container,
                                                  Path root) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
            Path dir = Files.createDirectories(root.resolve("volumes").resolve(volume.getName()));
            if (volume.getConfigMap() != null) {
                ConfigMap map = admin.configMaps().inNamespace(namespace).withName(volume.getConfigMap().getName()).get();
                if (map == null) {
                    throw new AssertionError("the pod mounts ConfigMap " + volume.getConfigMap().getName() + ", which does not exist");
                }
                for (Map.Entry<String, String> entry : map.getData().entrySet()) {
                    Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
                }
            } else if (volume.getEmptyDir() == null) {
                throw new AssertionError("volume kind not emulated: " + volume);
            }
            mounts.put(mount.getMountPath(), dir);
        }
        return mounts;
    }

    private static String resolve(EnvVar var, String namespace, String podName, Map<String, Path> mounts) {
        if (var.getValueFrom() != null) {
            String field = var.getValueFrom().getFieldRef() == null ? null : var.getValueFrom().getFieldRef().getFieldPath();
            if ("metadata.namespace".equals(field)) {
                return namespace;
            }
            if ("metadata.name".equals(field)) {
                return podName;
            }
            throw new AssertionError("env source not emulated: " + var);
        }
        String value = var.getValue() == null ? "" : var.getValue();
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (value.startsWith(mount.getKey() + "/")) {
                return mount.getValue().resolve(value.substring(mount.getKey().length() + 1)).toString();
            }
        }
        return value;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    String podName() {
        return podName;
    }

    List<String> logLines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String log() {
        return String.join("\n", logLines());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The operator's process, to signal it as the kubelet (SIGTERM) or the OOM killer (SIGKILL) would. */
    Process process() {
        return process;
    }

    /** GET on the operator's HTTP port, as a probe or Prometheus would: status code and body, or -1 when refused. */
    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status(String path) {
        HttpResponse<String> response = get(path);
        return response == null ? -1 : response.statusCode();
    }

    /** Waits as the chart's startup probe does: /q/health/started answers 200. */
    ChartOperator awaitStarted(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("operator " + podName + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (status("/q/health/started") == 200) {
                return this;
            }
            sleep(250);
        }
        throw new AssertionError("operator " + podName + " not started after " + timeout + ":\n" + log());
    }

    /** Stops it as the kubelet does: SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            Instant deadline = Instant.now().plusSeconds(30);
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                sleep(100);
            }
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        dev.groundwork.it.Helm.deleteTree(root);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
