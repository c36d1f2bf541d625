package dev.groundwork.it.helm;

import dev.groundwork.it.Kubectl;

import java.nio.file.Path;

/** The pinned kubectl against any kubeconfig (Kubectl's short forms use the shared test server's admin). */
final class Cli {
    private Cli() {
    }

    static Kubectl.Result kubectl(Path kubeconfig, String... args) {
        return Kubectl.runAgainst(kubeconfig, null, args);
    }

    static Kubectl.Result kubectlWithInput(Path kubeconfig, String stdin, String... args) {
        return Kubectl.runAgainst(kubeconfig, stdin, args);
    }
}
