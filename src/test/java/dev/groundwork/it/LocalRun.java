package dev.groundwork.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's run command (hack/run-local.sh), started as a person would and stopped with Ctrl-C (SIGINT). */
final class LocalRun implements AutoCloseable {
    private static final Pattern KUBECONFIG = Pattern.compile("run-local: kubeconfig (\\S+)");
    private static final Pattern METRICS = Pattern.compile("run-local: metrics (\\S+)");
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile Path kubeconfig;
    private volatile String metrics;

    LocalRun() throws IOException {
        process = new ProcessBuilder("hack/run-local.sh", "--no-build").redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "run-local-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
                Matcher m = KUBECONFIG.matcher(line);
                if (m.matches()) {
                    kubeconfig = Path.of(m.group(1));
                }
                Matcher metricsLine = METRICS.matcher(line);
                if (metricsLine.matches()) {
                    metrics = metricsLine.group(1);
                }
                if (line.startsWith("run-local: press Ctrl-C")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("run-local ended before it was ready:\n" + output()));
    }

    void awaitReady(Duration timeout) throws Exception {
        ready.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** The operator's Prometheus endpoint. */
    String metricsUrl() {
        return metrics;
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Sends Ctrl-C and waits for the script to finish its clean-up. */
    int interrupt() throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        Instant deadline = Instant.now().plusSeconds(60);
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
