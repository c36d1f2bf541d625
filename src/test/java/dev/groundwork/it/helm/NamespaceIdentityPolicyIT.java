package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Namespace identity with the chart's ValidatingAdmissionPolicy: a user who may create and patch namespaces
 * cannot make one look like a product's, strip a product namespace of its identity, or edit the storage contract
 * the storage-class policy trusts; the message names the key and who may set it. The operator, run as the chart's
 * pod with its ServiceAccount token only, still creates, adopts, retains and releases namespaces under it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceIdentityPolicyIT {
    private static final String NAMESPACE = "gw-nsid-system";
    private static final String USER = "nsid-alice";
    private static final String EDITOR = "nsid-namespace-editor";
    private static final List<String> PRODUCTS = List.of("nsid-shop", "nsid-adopt");

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ChartOperator operator;
    private static String operatorIdentity;

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(EDITOR).endMetadata()
                .addNewRule().withApiGroups("").withResources("namespaces")
                .withVerbs("get", "list", "watch", "create", "update", "patch").endRule().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(EDITOR).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", EDITOR)
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(USER).endSubject()
                .build()).serverSideApply();
        release = ChartRelease.install("gw-nsid", NAMESPACE, """
                storagePolicy:
                  enabled: false
                """);
        operatorIdentity = "system:serviceaccount:" + NAMESPACE + ":" + release.fullname();
        // The API server takes a moment to start enforcing a new policy.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !asUser(forged("nsid-probe"), "create", "--dry-run=server", "-f", "-").ok());
        operator = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-7c9d8-nnnnn",
                ServiceAccountAccess.of(admin, NAMESPACE, release.fullname())).awaitStarted(Duration.ofSeconds(90));
    }

    @AfterAll
    static void uninstall() {
        try {
            Products.deleteAndAwaitGone(admin, PRODUCTS);
        } finally {
            if (operator != null) {
                operator.close();
            }
            if (release != null) {
                release.close();
                // helm removed the policy; wait until the API server stops enforcing it, so no later test meets it.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> asUser(forged("nsid-probe"), "create", "--dry-run=server", "-f", "-").ok());
            }
            admin.rbac().clusterRoleBindings().withName(EDITOR).delete();
            admin.rbac().clusterRoles().withName(EDITOR).delete();
            admin.close();
        }
    }

    @Test
    @Order(1)
    void theOperatorCreatesAndAdoptsNamespacesUnderThePolicy() {
        // A namespace the user made before the product existed, without any groundwork label: adopted once the user,
        // who may update it, consents (the one groundwork.dev/ key the policy lets others set).
        Kubectl.Result created = asUser(null, "create", "namespace", "nsid-adopt-prod");
        assertThat(created.ok()).as(created.output()).isTrue();
        Kubectl.Result consent = asUser(null, "label", "namespace", "nsid-adopt-prod", "groundwork.dev/adopt=nsid-adopt");
        assertThat(consent.ok()).as(consent.output()).isTrue();
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: nsid-shop
                spec:
                  team: shop
                  environments: [{name: prod}, {name: dev}]
                """);
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: nsid-adopt
                spec:
                  team: adopt
                  environments: [{name: prod}]
                """);
        for (String product : PRODUCTS) {
            TestOperator.awaitStatus(admin, product, p -> assertThat(Products.isTrue(p, "Ready"))
                    .as("%s\n%s", p.getStatus(), operator.log()).isTrue());
        }
        assertThat(admin.namespaces().withName("nsid-shop-prod").get().getMetadata().getLabels())
                .containsEntry("groundwork.dev/product", "nsid-shop").containsEntry("app.kubernetes.io/managed-by", "groundwork");
        assertThat(admin.namespaces().withName("nsid-adopt-prod").get().getMetadata().getLabels())
                .containsEntry("groundwork.dev/product", "nsid-adopt").containsEntry("groundwork.dev/environment", "prod");
        assertThat(operator.log()).doesNotContain("denied request");
    }

    @Test
    @Order(2)
    void aUserCannotLabelANamespaceAsAProducts() {
        Kubectl.Result result = asUser(forged("nsid-forged"), "create", "-f", "-");

        assertThat(result.ok()).isFalse();
        assertThat(result.output()).contains("ValidatingAdmissionPolicy '" + release.fullname() + "-namespace-identity'");
        assertRefused(result, "nsid-forged", "label", "groundwork.dev/environment", "groundwork.dev/product",
                "app.kubernetes.io/managed-by");
        assertThat(admin.namespaces().withName("nsid-forged").get()).isNull();

        // Labelling an existing namespace is refused as well.
        Kubectl.Result plain = asUser(null, "create", "namespace", "nsid-plain");
        assertThat(plain.ok()).as(plain.output()).isTrue();
        Kubectl.Result labelled = asUser(null, "label", "namespace", "nsid-plain", "groundwork.dev/product=nsid-shop",
                "groundwork.dev/environment=prod");
        assertRefused(labelled, "nsid-plain", "label", "groundwork.dev/environment", "groundwork.dev/product");
        assertThat(admin.namespaces().withName("nsid-plain").get().getMetadata().getLabels()).doesNotContainKey("groundwork.dev/product");
    }

    @Test
    @Order(3)
    void aUserCannotStripOrChangeAProductNamespacesIdentity() {
        Kubectl.Result removed = asUser(null, "label", "namespace", "nsid-shop-prod", "groundwork.dev/product-");
        assertRefused(removed, "nsid-shop-prod", "label", "groundwork.dev/product");

        Kubectl.Result unmanaged = asUser(null, "label", "namespace", "nsid-shop-prod", "app.kubernetes.io/managed-by-");
        assertRefused(unmanaged, "nsid-shop-prod", "label", "app.kubernetes.io/managed-by");

        Kubectl.Result classes = asUser(null, "annotate", "--overwrite", "namespace", "nsid-shop-prod",
                "groundwork.dev/allowed-storage-classes=premium-ssd");
        assertRefused(classes, "nsid-shop-prod", "annotation", "groundwork.dev/allowed-storage-classes");

        Namespace live = admin.namespaces().withName("nsid-shop-prod").get();
        assertThat(live.getMetadata().getLabels()).containsEntry("groundwork.dev/product", "nsid-shop")
                .containsEntry("app.kubernetes.io/managed-by", "groundwork");
        assertThat(live.getMetadata().getAnnotations()).containsEntry("groundwork.dev/allowed-storage-classes", "standard-rwo");

        // Everything else about a product namespace stays the team's to change.
        Kubectl.Result own = asUser(null, "label", "namespace", "nsid-shop-prod", "cost-center=4711");
        assertThat(own.ok()).as(own.output()).isTrue();
    }

    @Test
    @Order(4)
    void theOperatorRetainsAndReleasesNamespacesUnderThePolicy() {
        // An environment removed (Retain): the namespace stays, no longer managed.
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: nsid-shop
                spec:
                  team: shop
                  environments: [{name: prod}]
                """);
        TestOperator.awaitStatus(admin, "nsid-shop", p -> assertThat(p.getStatus().namespaces())
                .anySatisfy(n -> {
                    assertThat(n.name()).isEqualTo("nsid-shop-dev");
                    assertThat(n.state()).isEqualTo(NamespaceState.Retained);
                }));
        assertThat(admin.namespaces().withName("nsid-shop-dev").get().getMetadata().getLabels())
                .doesNotContainKey("app.kubernetes.io/managed-by");

        // A product deleted (Retain): its namespace is released by the operator, which the policy lets through.
        Products.deleteAndAwaitGone(admin, List.of("nsid-adopt"));
        Namespace released = admin.namespaces().withName("nsid-adopt-prod").get();
        assertThat(released.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
        assertThat(released.getMetadata().getAnnotations()).containsKey("groundwork.dev/retained");
        assertThat(operator.log()).doesNotContain("denied request");
    }

    /** Refused, naming exactly these keys (in the API server's map order) and the one identity that may set them. */
    private static void assertRefused(Kubectl.Result result, String namespace, String what, String... keys) {
        assertThat(result.ok()).as("admitted: %s", result.output()).isFalse();
        Matcher message = Pattern.compile("namespace " + namespace + ": " + what + " (.+) may be set, changed or removed "
                + "only by the groundwork operator \\((.+?)\\): it is the identity NetworkPolicies and admission policies "
                + "trust\\.").matcher(result.output());
        assertThat(message.find()).as(result.output()).isTrue();
        assertThat(message.group(1).split(", ")).containsExactlyInAnyOrder(keys);
        assertThat(message.group(2)).isEqualTo(operatorIdentity);
    }

    private static String forged(String name) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels:
                    app.kubernetes.io/managed-by: groundwork
                    groundwork.dev/product: nsid-shop
                    groundwork.dev/environment: prod
                """.formatted(name);
    }

    private static Kubectl.Result asUser(String stdin, String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--as=" + USER;
        return Kubectl.runWithInput(stdin, all);
    }
}
