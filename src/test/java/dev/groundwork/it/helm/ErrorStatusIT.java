package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exception outside the apply path reaches status: the operator runs with the chart's ServiceAccount, whose
 * ClusterRole the test strips of listing PersistentVolumeClaims; removing an environment of a product with
 * deletionPolicy Delete then fails where the deletion guard counts claims. Ready turns False with the stable
 * reason ReconcileFailed instead of staying True, and comes back once the permission does.
 */
class ErrorStatusIT {
    private static final String NAMESPACE = "gw-error-system";

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static TestOperator operator;

    @BeforeAll
    static void install() throws Exception {
        admin = ApiServer.client();
        release = ChartRelease.install("gw-error", NAMESPACE, """
                storagePolicy: {enabled: false}
                namespaceIdentityPolicy: {enabled: false}
                """);
        ServiceAccountAccess account = ServiceAccountAccess.of(admin, NAMESPACE, release.fullname());
        operator = TestOperator.start(Config.fromKubeconfig(Files.readString(account.kubeconfig())),
                StandardLoader.defaults(), Duration.ofMinutes(10), NAMESPACE);
    }

    @AfterAll
    static void uninstall() {
        try {
            if (admin != null) {
                Products.deleteAndAwaitGone(admin, List.of("erring"));
            }
        } finally {
            if (operator != null) {
                operator.close();
            }
            if (release != null) {
                release.close();
            }
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Test
    void anErrorOutsideTheApplyPathTurnsReadyFalseWithAStableReasonAndRecovers() {
        String product = """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: erring
                spec:
                  team: erring
                  deletionPolicy: Delete
                  environments: [%s]
                """;
        Products.apply(admin, product.formatted("{name: prod}, {name: dev}"));
        TestOperator.awaitStatus(admin, "erring", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        List<PolicyRule> granted = setClaimRule(false);

        Products.apply(admin, product.formatted("{name: prod}"));

        ProductPlatform failed = TestOperator.awaitStatus(admin, "erring",
                p -> assertThat(Products.reason(p, "Ready")).isEqualTo("ReconcileFailed"));
        assertThat(Products.condition(failed, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(Products.condition(failed, "Ready").orElseThrow().getMessage())
                .startsWith("Reconciling failed and is retried: ").contains("persistentvolumeclaims");
        assertThat(admin.namespaces().withName("erring-dev").get().getMetadata().getDeletionTimestamp())
                .as("nothing deleted without counting the claims").isNull();

        restore(granted);
        ProductPlatform recovered = TestOperator.awaitStatus(admin, "erring",
                p -> assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue());
        assertThat(recovered.getStatus().namespaces()).extracting(n -> n.name()).containsExactly("erring-prod");
    }

    /** Removes (or keeps) the chart's rule that lets the operator list claims; returns the rules as they were. */
    private static List<PolicyRule> setClaimRule(boolean keep) {
        ClusterRole role = admin.rbac().clusterRoles().withName(release.fullname()).get();
        List<PolicyRule> before = List.copyOf(role.getRules());
        role.setRules(before.stream().filter(r -> keep || !r.getResources().contains("persistentvolumeclaims")).toList());
        role.getMetadata().setManagedFields(null);
        admin.resource(role).update();
        return before;
    }

    private static void restore(List<PolicyRule> rules) {
        ClusterRole role = admin.rbac().clusterRoles().withName(release.fullname()).get();
        role.setRules(rules);
        admin.resource(role).update();
    }
}
