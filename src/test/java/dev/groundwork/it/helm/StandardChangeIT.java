package dev.groundwork.it.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Helm;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.Products;
import dev.groundwork.it.Standards;
import dev.groundwork.it.TestOperator;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10, acceptance 1 and 5: the standard as an API object of the chart. A plain helm install renders the
 * complete standard as PlatformStandard default, which the operator (the packaged one, run as the chart's pod with
 * the chart's ServiceAccount) finds valid and reconciles products against. helm upgrade with changed standard values
 * changes the PlatformStandard in place: a new revision, stored as a ControllerRevision, reaches every product and
 * rewrites exactly the objects it concerns, while the Deployment's pod template stays byte for byte the same (no
 * rollout) and the same operator process keeps running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandardChangeIT {
    private static final String NAMESPACE = "gw-std-system";
    private static final List<String> PRODUCTS = List.of("std-web", "std-vault");
    private static final String CHANGE = """
            standard:
              tiers:
                standard:
                  podSecurity:
                    enforce: restricted
                  storage:
                    defaultTotal: 150Gi
              # This class is about the chart's standard reaching products, not about waves (RolloutIT).
              rollout:
                strategy: Immediate
            """;

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ChartOperator operator;

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        awaitNoStandard();
        release = ChartRelease.install("gw-std", NAMESPACE, """
                # Cluster-wide; StoragePolicyIT proves it.
                storagePolicy:
                  enabled: false
                # Cluster-wide as well; NamespaceIdentityPolicyIT proves it.
                namespaceIdentityPolicy:
                  enabled: false
                # Cluster-wide as well; TeamAccessIT and RbacIT prove it.
                accessPolicy:
                  enabled: false
                """);
        operator = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-84c5f-1",
                ServiceAccountAccess.of(admin, NAMESPACE, release.fullname())).awaitStarted(Duration.ofSeconds(90));
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: std-web
                spec:
                  team: web
                  tier: standard
                  environments:
                    - name: prod
                """);
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: std-vault
                spec:
                  team: vault
                  tier: critical
                  environments:
                    - name: prod
                """);
    }

    /** PlatformStandard default is cluster-wide: later classes of the shared API server get the built-in standard. */
    @AfterAll
    static void uninstall() throws IOException {
        try {
            Products.deleteAndAwaitGone(admin, PRODUCTS);
        } finally {
            if (operator != null) {
                // Kept for a failure's post-mortem: the operator's whole log.
                Files.writeString(Path.of("target", "StandardChangeIT-operator.log"), operator.log());
                operator.close();
            }
            if (release != null) {
                release.close();
            }
            awaitNoStandard();
            admin.close();
        }
    }

    private static void awaitNoStandard() {
        if (admin.apiextensions().v1().customResourceDefinitions().withName("platformstandards.groundwork.dev").get() == null) {
            return; // the first class on this API server: helm install brings the CRD
        }
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(60));
    }

    @Test
    @Order(1)
    void aPlainInstallShowsTheCompleteStandardAndProductsBecomeReadyAgainstIt() throws Exception {
        PlatformStandard standard = awaitValid(null);
        String revision = standard.getStatus().revision();
        assertThat(revision).as("the chart's standard is the built-in one").isEqualTo(StandardLoader.defaults().revision());

        // kubectl get pstd default -o yaml: the complete standard and Valid=True.
        Kubectl.Result shown = Kubectl.run("get", "pstd", "default", "-o", "yaml");
        assertThat(shown.ok()).as(shown.output()).isTrue();
        JsonNode yaml = Manifests.YAML.readTree(shown.output());
        JsonNode spec = yaml.get("spec");
        List<String> fields = new ArrayList<>();
        spec.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("podSecurity", "tiers", "storage", "ingressController", "monitoring",
                "dns", "logging", "environments", "protectedNamespaces", "namespaceAdoption", "access", "rollout");
        for (String tier : List.of("critical", "standard", "sandbox")) {
            assertThat(spec.at("/tiers/" + tier + "/storage/ceilingTotal").isMissingNode()).as(tier).isFalse();
            assertThat(spec.at("/tiers/" + tier + "/access/defaultRole").asText()).as(tier).isEqualTo("edit");
        }
        assertThat(spec.at("/rollout/strategy").asText()).isEqualTo("Waves");
        assertThat(yaml.at("/status/revision").asText()).isEqualTo(revision);
        assertThat(yaml.at("/status/conditions").findValuesAsText("type")).contains("Valid");
        assertThat(condition(standard, "Valid").getStatus()).isEqualTo("True");
        assertThat(admin.apps().controllerRevisions().inNamespace(NAMESPACE).withName("groundwork-standard-" + revision).get())
                .isNotNull();

        for (String product : PRODUCTS) {
            TestOperator.awaitStatus(admin, product, p -> {
                assertThat(Products.isTrue(p, "Ready")).as("%s\n%s", p.getStatus(), operator.log()).isTrue();
                assertThat(p.getStatus().standardRevision()).isEqualTo(revision);
            });
        }
        assertThat(admin.namespaces().withName("std-web-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(hardStorage("std-web-prod")).isEqualTo(new Quantity("100Gi"));
        System.out.printf("StandardChangeIT: plain install: PlatformStandard default Valid=True, revision %s; %s Ready on it%n",
                revision, PRODUCTS);
    }

    @Test
    @Order(2)
    void helmUpgradeChangesTheStandardInPlaceAndMovesEveryProductWithoutRestartingTheOperator() {
        PlatformStandard standardBefore = awaitValid(null);
        String before = standardBefore.getStatus().revision();
        for (String product : PRODUCTS) {
            TestOperator.awaitStatus(admin, product, p -> assertThat(p.getStatus().standardRevision()).isEqualTo(before));
        }
        Deployment deploymentBefore = deployment();
        String podTemplateBefore = Serialization.asJson(deploymentBefore.getSpec().getTemplate());
        long pid = operator.process().pid();
        Map<String, String> versionsBefore = resourceVersions();

        Helm.ok(release.upgrade(CHANGE));

        // The same object, changed in place; a new valid revision, stored.
        PlatformStandard standardAfter = awaitValid(before);
        String after = standardAfter.getStatus().revision();
        assertThat(standardAfter.getMetadata().getUid()).isEqualTo(standardBefore.getMetadata().getUid());
        assertThat(standardAfter.getMetadata().getGeneration()).isEqualTo(standardBefore.getMetadata().getGeneration() + 1);
        assertThat(standardAfter.getSpec().tiers().standard().storage().defaultTotal()).isEqualTo("150Gi");
        assertThat(after).isEqualTo(StandardLoader.fromSpec(standardAfter.getSpec()).revision()).isNotEqualTo(before);
        assertThat(admin.apps().controllerRevisions().inNamespace(NAMESPACE).withName("groundwork-standard-" + after).get())
                .isNotNull();
        Kubectl.Result history = Kubectl.run("get", "controllerrevisions", "-n", NAMESPACE);
        assertThat(history.output()).contains("groundwork-standard-" + before, "groundwork-standard-" + after);

        // Every product moves to it; the standard's status counts them there.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String name : PRODUCTS) {
                ProductPlatform p = admin.resources(ProductPlatform.class).withName(name).get();
                assertThat(p.getStatus().standardRevision()).as(name).isEqualTo(after);
                assertThat(Products.isTrue(p, "Ready")).as("%s: %s", name, p.getStatus()).isTrue();
            }
            PlatformStandardStatus status = Standards.current(admin).getStatus();
            long onAfter = admin.resources(ProductPlatform.class).list().getItems().stream()
                    .filter(p -> p.getStatus() != null && after.equals(p.getStatus().standardRevision())).count();
            assertThat(status.revisions()).as("%s", status).contains(new PlatformStandardStatus.RevisionCount(after, (int) onAfter));
            assertThat(status.rollout().phase()).isEqualTo(RolloutPhase.Complete);
        });
        // Brought up to date, not drift: nobody but the operator changed anything.
        for (String name : PRODUCTS) {
            ProductPlatform p = admin.resources(ProductPlatform.class).withName(name).get();
            assertThat(p.getStatus().drift() == null || Long.valueOf(0).equals(p.getStatus().drift().detectedTotal()))
                    .as("%s: %s", name, p.getStatus().drift()).isTrue();
        }
        assertThat(Products.condition(admin.resources(ProductPlatform.class).withName("std-web").get(), "Ready")
                .orElseThrow().getMessage()).contains(after);

        // Exactly the objects the change concerns are rewritten.
        assertThat(admin.namespaces().withName("std-web-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(hardStorage("std-web-prod")).isEqualTo(new Quantity("150Gi"));
        Map<String, String> versionsAfter = resourceVersions();
        Map<String, String> changed = new TreeMap<>();
        versionsAfter.forEach((k, v) -> {
            if (!v.equals(versionsBefore.get(k))) {
                changed.put(k, v);
            }
        });
        assertThat(versionsAfter.keySet()).isEqualTo(versionsBefore.keySet());
        assertThat(changed.keySet()).containsExactlyInAnyOrder(
                "Namespace std-web-prod", "ResourceQuota std-web-prod/groundwork-storage");

        // No rollout of the operator: the pod template is byte for byte the same and the same process runs on.
        Deployment deploymentAfter = deployment();
        assertThat(Serialization.asJson(deploymentAfter.getSpec().getTemplate())).isEqualTo(podTemplateBefore);
        assertThat(deploymentAfter.getMetadata().getGeneration()).isEqualTo(deploymentBefore.getMetadata().getGeneration());
        assertThat(operator.isAlive()).isTrue();
        assertThat(operator.process().pid()).isEqualTo(pid);
        System.out.printf("StandardChangeIT: helm upgrade: revision %s -> %s (PlatformStandard generation %d -> %d, same uid); "
                        + "%d baseline objects, changed: %s; pod template unchanged (%d bytes), Deployment generation %d, "
                        + "operator pid %d still running%n", before, after, standardBefore.getMetadata().getGeneration(),
                standardAfter.getMetadata().getGeneration(), versionsAfter.size(), changed.keySet(),
                podTemplateBefore.length(), deploymentAfter.getMetadata().getGeneration(), pid);
    }

    /** Waits until the standard is Valid with a revision other than {@code notThis}. */
    private static PlatformStandard awaitValid(String notThis) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(
                () -> Standards.current(admin),
                s -> s != null && s.getStatus() != null && s.getStatus().revision() != null
                        && !s.getStatus().revision().equals(notThis)
                        && Objects.equals(s.getStatus().observedGeneration(), s.getMetadata().getGeneration())
                        && "True".equals(condition(s, "Valid").getStatus()));
    }

    private static Condition condition(PlatformStandard standard, String type) {
        return standard.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + standard.getStatus()));
    }

    private static Deployment deployment() {
        return admin.apps().deployments().inNamespace(NAMESPACE).withName(release.fullname()).get();
    }

    private static Quantity hardStorage(String namespace) {
        return admin.resourceQuotas().inNamespace(namespace).withName("groundwork-storage").get().getSpec().getHard()
                .get("requests.storage");
    }

    /** "Kind namespace/name" -> resourceVersion of every baseline object of both products. */
    private static Map<String, String> resourceVersions() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String product : PRODUCTS) {
            String namespace = product + "-prod";
            objects.add(admin.namespaces().withName(namespace).get());
            objects.addAll(admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems());
            objects.addAll(admin.resourceQuotas().inNamespace(namespace).list().getItems());
            objects.addAll(admin.limitRanges().inNamespace(namespace).list().getItems());
            objects.addAll(admin.rbac().roleBindings().inNamespace(namespace).list().getItems());
        }
        Map<String, String> versions = new TreeMap<>();
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            versions.put(o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
        }
        assertThat(versions).hasSizeGreaterThan(10);
        return versions;
    }
}
