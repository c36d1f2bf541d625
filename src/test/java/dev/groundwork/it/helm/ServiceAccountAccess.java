package dev.groundwork.it.helm;

import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Kubectl;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials of a ServiceAccount as a pod gets them: a token from the TokenRequest API, here written into a
 * kubeconfig (the test API server's address and CA, the token as the only credential) for the operator and kubectl.
 */
final class ServiceAccountAccess {
    private final String subject;
    private final Path kubeconfig;

    private ServiceAccountAccess(String subject, Path kubeconfig) {
        this.subject = subject;
        this.kubeconfig = kubeconfig;
    }

    static ServiceAccountAccess of(KubernetesClient admin, String namespace, String serviceAccount) {
        TokenRequest request = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());
        String token = request.getStatus().getToken();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> config = Manifests.YAML.readValue(ApiServer.kubeConfigYaml(), Map.class);
            String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
            config.put("users", List.of(Map.of("name", user, "user", Map.of("token", token))));
            List<Object> contexts = new ArrayList<>();
            for (Object c : Manifests.list(config, "contexts")) {
                Map<String, Object> context = new LinkedHashMap<>(Manifests.map(c));
                Map<String, Object> body = new LinkedHashMap<>(Manifests.map(context, "context"));
                body.put("user", user);
                // No default namespace: kubectl then names exactly what each check is about.
                body.remove("namespace");
                context.put("context", body);
                contexts.add(context);
            }
            config.put("contexts", contexts);
            Path file = Files.createTempFile("groundwork-sa-", ".kubeconfig");
            file.toFile().deleteOnExit();
            Files.writeString(file, Manifests.YAML.writeValueAsString(config));
            return new ServiceAccountAccess(user, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String subject() {
        return subject;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** The pinned kubectl with this ServiceAccount's token and nothing else. */
    Kubectl.Result kubectl(String... args) {
        return Cli.kubectl(kubeconfig, args);
    }
}
