package dev.groundwork.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The pinned kubectl (the one kube-api-test uses), run against the test API server as a user would. */
public final class Kubectl {
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Kubectl() {
    }

    public static Path binary() {
        String dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        return Path.of(dir, "k8s", ApiServer.VERSION + "-linux-amd64", "kubectl");
    }

    /** kubectl auth can-i as a user (impersonated by the admin) who belongs to the given groups only: "yes" or "no". */
    public static String canI(String user, List<String> groups, String... request) {
        List<String> args = new ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(request));
        args.add("--as=" + user);
        groups.forEach(g -> args.add("--as-group=" + g));
        Result result = run(args.toArray(String[]::new));
        List<String> lines = result.output().strip().lines().filter(l -> !l.isBlank()).toList();
        String answer = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (!answer.equals("yes") && !answer.equals("no")) {
            throw new IllegalStateException(args + ": " + result.output());
        }
        return answer;
    }

    public static Result run(String... args) {
        return runWithInput(null, args);
    }

    public static Result runWithInput(String stdin, String... args) {
        return runAgainst(ApiServer.kubeConfigFile(), stdin, args);
    }

    /** Against any API server, e.g. one a test starts for itself, or as another user. */
    public static Result runAgainst(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.add("--kubeconfig");
        command.add(kubeconfig.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result apply(String yaml) {
        return runWithInput(yaml, "apply", "-f", "-");
    }

    /** kubectl apply of the cluster's PlatformStandard, {@code default}, with this spec (YAML, not indented). */
    public static Result applyStandard(String spec) {
        return apply("""
                apiVersion: groundwork.dev/v1alpha1
                kind: PlatformStandard
                metadata:
                  name: default
                spec:
                %s""".formatted(spec.stripTrailing().indent(2)));
    }
}
