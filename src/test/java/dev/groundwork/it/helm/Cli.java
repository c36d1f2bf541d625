package dev.groundwork.it.helm;

import dev.groundwork.it.Kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The pinned kubectl against any kubeconfig (Kubectl always uses the shared test server's admin). */
final class Cli {
    private Cli() {
    }

    static Kubectl.Result kubectl(Path kubeconfig, String... args) {
        return kubectlWithInput(kubeconfig, null, args);
    }

    static Kubectl.Result kubectlWithInput(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(Kubectl.binary().toString(), "--kubeconfig", kubeconfig.toString()));
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
            return new Kubectl.Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
