package dev.groundwork.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real kube-apiserver and etcd (the pinned build of hack/build-tools.sh, found by kube-api-test in
 * ~/.kubeapitest) shared by every *IT of the JVM: starting one costs seconds, and tests isolate themselves
 * by product name. There is no kube-controller-manager: no garbage collection, namespaces never finish
 * terminating.
 */
public final class ApiServer {
    public static final String VERSION = System.getProperty("groundwork.k8s.version", "1.35.4");
    private static KubeAPIServer server;
    private static String kubeConfigYaml;
    private static Path kubeConfigFile;

    private ApiServer() {
    }

    public static synchronized String kubeConfigYaml() {
        if (server == null) {
            server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withApiServerVersion(VERSION)
                    .withOfflineMode(true)
                    .withUpdateKubeConfig(false)
                    .withApiServerFlag("--advertise-address", "127.0.0.1")
                    .build());
            server.start();
            kubeConfigYaml = server.getKubeConfigYaml();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return kubeConfigYaml;
    }

    /** The kubeconfig as a file, for kubectl and helm. */
    public static synchronized Path kubeConfigFile() {
        if (kubeConfigFile == null) {
            try {
                kubeConfigFile = Files.createTempFile("groundwork-it-", ".kubeconfig");
                Files.writeString(kubeConfigFile, kubeConfigYaml());
                kubeConfigFile.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kubeConfigFile;
    }

    public static Config config() {
        return Config.fromKubeconfig(kubeConfigYaml());
    }

    public static KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }
}
