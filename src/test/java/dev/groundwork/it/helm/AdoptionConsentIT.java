package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.ClusterRoleAggregation;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.Products;
import dev.groundwork.it.Standards;
import dev.groundwork.it.TestOperator;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adoption needs the namespace owner's consent (issue 20, acceptance 1, 2 and 4). The chart is installed with its
 * policies (the namespace-identity policy among them); the operator runs in-process with a token of the chart's
 * ServiceAccount as its only credential, so every write is judged as the chart's pod would be, and counted. A user who
 * may create ProductPlatforms but has no rights in namespace {@code vault} declares it as an environment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdoptionConsentIT {
    private static final String NAMESPACE = "gw-consent-system";
    private static final String DECLARER = "consent-platform-dev";
    private static final String OWNER = "consent-vault-owner";
    private static final String TEAM_GROUP = "oidc:evil-team";
    private static final List<String> PRODUCTS = List.of("evil", "legacy");
    private static final List<String> NAMESPACES = List.of("vault", "legacy-ns");
    private static final List<String> ROLES = List.of(DECLARER, OWNER);

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static Config operatorCredentials;
    private static TestOperator operator;

    @BeforeAll
    static void install() throws IOException {
        admin = ApiServer.client();
        ClusterRoleAggregation.aggregateBuiltInRoles(admin);
        grant(DECLARER, "groundwork.dev", "productplatforms", List.of(), "get", "list", "watch", "create", "update", "patch");
        grant(OWNER, "", "namespaces", List.of("vault"), "get", "update", "patch");
        release = ChartRelease.install("gw-consent", NAMESPACE, "storagePolicy: {enabled: false}\n");
        // The API server takes a moment to start enforcing a new policy: wait until it refuses a forged label.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !Kubectl.runWithInput("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: consent-probe, labels: {groundwork.dev/product: x}}
                """, "create", "--dry-run=server", "-f", "-").ok());
        operatorCredentials = Config.fromKubeconfig(Files.readString(
                ServiceAccountAccess.of(admin, NAMESPACE, release.fullname()).kubeconfig()));
        // The built-in standard applies (the chart's PlatformStandard goes), so a test can restart the operator with
        // another one, as an upgrade of the operator does.
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(30));
        operator = TestOperator.start(operatorCredentials, StandardLoader.defaults(), Duration.ofSeconds(30), NAMESPACE);
    }

    @AfterAll
    static void uninstall() {
        try {
            if (admin != null) {
                Products.deleteAndAwaitGone(admin, PRODUCTS);
                NAMESPACES.forEach(n -> admin.namespaces().withName(n).delete());
            }
        } finally {
            if (operator != null) {
                operator.close();
            }
            if (release != null) {
                release.close();
            }
            if (admin != null) {
                for (String role : ROLES) {
                    admin.rbac().clusterRoleBindings().withName(role).delete();
                    admin.rbac().clusterRoles().withName(role).delete();
                }
                admin.close();
            }
        }
    }

    @Test
    @Order(1)
    void aProductCannotTakeANamespaceItsAuthorHasNoRightsIn() {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vault")
                .addToLabels("owner", "secrets-team").endMetadata().build()).create();
        String before = admin.namespaces().withName("vault").get().getMetadata().getResourceVersion();
        assertThat(Kubectl.canI(DECLARER, List.of(), "update", "namespace/vault")).isEqualTo("no");
        int mark = operator.writes().mark();

        Kubectl.Result declared = Kubectl.runWithInput(evil(), "apply", "-f", "-", "--as=" + DECLARER);
        assertThat(declared.ok()).as(declared.output()).isTrue();
        ProductPlatform waiting = TestOperator.awaitStatus(admin, "evil", p ->
                assertThat(Products.reason(p, "NamespacesReady")).isEqualTo("AdoptionNotConsented"));
        // The other environment, a namespace groundwork creates, is set up meanwhile: the product is served, vault is not.
        TestOperator.awaitStatus(admin, "evil", p -> assertThat(p.getStatus().namespaces())
                .anySatisfy(n -> assertThat(n.name() + "=" + n.state()).isEqualTo("evil-dev=Ready")));
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);

        assertThat(operator.writes().writesSince(mark, "vault")).as("writes to vault").isEmpty();
        assertThat(admin.namespaces().withName("vault").get().getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(admin.network().v1().networkPolicies().inNamespace("vault").list().getItems()).isEmpty();
        assertThat(admin.resourceQuotas().inNamespace("vault").list().getItems()).isEmpty();
        assertThat(admin.rbac().roleBindings().inNamespace("vault").list().getItems()).isEmpty();
        assertThat(Products.condition(waiting, "NamespacesReady").orElseThrow().getMessage())
                .contains("kubectl label namespace vault groundwork.dev/adopt=evil");
        ProductPlatform now = admin.resources(ProductPlatform.class).withName("evil").get();
        for (String area : List.of("NetworkingReady", "StorageReady", "LoggingReady", "AccessReady")) {
            Condition condition = Products.condition(now, area).orElseThrow();
            assertThat(condition.getReason()).as(area).isEqualTo("NamespaceNotWritten");
            assertThat(condition.getMessage()).as(area)
                    .contains("prod (namespace vault: its owner has not consented to adoption)").doesNotContain("in place");
        }
        assertThat(Kubectl.canI("someone", List.of(TEAM_GROUP), "get", "pods", "-n", "vault")).isEqualTo("no");
        assertThat(Kubectl.canI("someone", List.of(TEAM_GROUP), "get", "pods", "-n", "evil-dev")).isEqualTo("yes");
    }

    @Test
    @Order(2)
    void onlySomeoneAllowedToUpdateTheNamespaceCanConsentAndTheProductIsAdoptedAtOnce() {
        Kubectl.Result byDeclarer = Kubectl.run("label", "namespace", "vault", "groundwork.dev/adopt=evil", "--as=" + DECLARER);
        assertThat(byDeclarer.ok()).isFalse();
        assertThat(byDeclarer.output()).contains("forbidden");
        // Consent is the only groundwork.dev/ key the identity policy leaves to the owner: the product label is not.
        Kubectl.Result forged = Kubectl.run("label", "namespace", "vault", "groundwork.dev/product=evil", "--as=" + OWNER);
        assertThat(forged.ok()).isFalse();
        assertThat(forged.output()).contains("may be set, changed or removed only by the groundwork operator");

        long consented = System.nanoTime();
        Kubectl.Result byOwner = Kubectl.run("label", "namespace", "vault", "groundwork.dev/adopt=evil", "--as=" + OWNER);
        assertThat(byOwner.ok()).as(byOwner.output()).isTrue();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            ProductPlatform p = admin.resources(ProductPlatform.class).withName("evil").get();
            assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue();
        });
        long millis = (System.nanoTime() - consented) / 1_000_000;
        System.out.printf("adopted %d ms after consent%n", millis);
        assertThat(admin.namespaces().withName("vault").get().getMetadata().getLabels())
                .containsEntry("groundwork.dev/product", "evil").containsEntry("owner", "secrets-team");
        // The standard's role for a standard-tier product's prod: view.
        assertThat(Kubectl.canI("someone", List.of(TEAM_GROUP), "get", "pods", "-n", "vault")).isEqualTo("yes");
        assertThat(Kubectl.canI("someone", List.of(TEAM_GROUP), "create", "deployments", "-n", "vault")).isEqualTo("no");
        assertThat(admin.network().v1().networkPolicies().inNamespace("vault").list().getItems())
                .extracting(p -> p.getMetadata().getName()).contains("groundwork-default-deny");
    }

    @Test
    @Order(3)
    void aNamespaceAdoptedBeforeConsentExistedStaysManagedWithNoWriteAfterTheUpgrade() {
        // The operator as it was: every namespace that is not protected or another product's is adopted.
        restartWith("namespaceAdoption: Always");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("legacy-ns").endMetadata().build()).create();
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: legacy
                spec:
                  team: legacy
                  environments: [{name: prod, namespace: legacy-ns}]
                """);
        TestOperator.awaitStatus(admin, "legacy", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        String adopted = admin.namespaces().withName("legacy-ns").get().getMetadata().getResourceVersion();

        // The upgrade: the new operator's standard says nothing of adoption, so consent is required from now on.
        restartWith("");
        int mark = operator.writes().mark();
        String upgraded = standard("").revision();
        TestOperator.awaitStatus(admin, "legacy", p -> assertThat(p.getStatus().standardRevision()).isEqualTo(upgraded));
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);

        ProductPlatform after = admin.resources(ProductPlatform.class).withName("legacy").get();
        assertThat(Products.isTrue(after, "Ready")).as("%s", after.getStatus()).isTrue();
        assertThat(Products.reason(after, "NamespacesReady")).isEqualTo("NamespacesApplied");
        assertThat(operator.writes().writesSince(mark, "legacy-ns")).as("writes to legacy-ns").isEmpty();
        assertThat(admin.namespaces().withName("legacy-ns").get().getMetadata().getResourceVersion()).isEqualTo(adopted);
    }

    private static String evil() {
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: evil
                spec:
                  team: evil-team
                  environments:
                    - {name: prod, namespace: vault}
                    - {name: dev}
                """;
    }

    private static void restartWith(String standardYaml) {
        operator.close();
        operator = TestOperator.start(operatorCredentials, standard(standardYaml), Duration.ofSeconds(30), NAMESPACE);
    }

    private static LoadedStandard standard(String yaml) {
        return Standards.fromYaml(yaml);
    }

    private static void grant(String user, String apiGroup, String resource, List<String> names, String... verbs) {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(user).endMetadata()
                .addNewRule().withApiGroups(apiGroup).withResources(resource).withResourceNames(names).withVerbs(verbs)
                .endRule().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(user)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", user)
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
                .build()).serverSideApply();
    }
}
