package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Helm;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.Products;
import dev.groundwork.it.helm.Manifests.Obj;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance 2: helm install into the real API server creates the CRDs and every object of the chart, the
 * PlatformStandard included; helm uninstall removes every object and leaves the CRDs (and the products). This class runs its own kube-apiserver
 * (the same pinned build and flags as the shared one), so the CRD is provably absent before the install and no
 * other test's state is involved; the plain manifests of deploy/ are applied to it at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallIT {
    private static final String NAMESPACE = "groundwork-system";
    private static final String CRD = "productplatforms.groundwork.dev";
    private static final String STANDARD_CRD = "platformstandards.groundwork.dev";
    /** What the chart installs with its default values. */
    private static final List<String> DEFAULT_KINDS = List.of("ServiceAccount", "PlatformStandard",
            "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Role", "RoleBinding", "Service", "Deployment",
            // the storage-class, namespace-identity and team-bindings policies
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    private static KubeAPIServer server;
    private static Path kubeconfig;
    private static KubernetesClient admin;
    private static List<Obj> defaultObjects;
    private static List<Obj> upgradedObjects;

    @BeforeAll
    static void startOwnApiServer() throws Exception {
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(ApiServer.VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withApiServerFlag("--advertise-address", "127.0.0.1")
                .build());
        server.start();
        kubeconfig = Files.createTempFile("groundwork-helm-install-", ".kubeconfig");
        kubeconfig.toFile().deleteOnExit();
        Files.writeString(kubeconfig, server.getKubeConfigYaml());
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
    }

    @AfterAll
    static void stopOwnApiServer() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static Helm.Result helm(String... args) {
        return Helm.cluster(kubeconfig, args);
    }

    private static GenericKubernetesResource live(Obj o) {
        var resources = admin.genericKubernetesResources(o.apiVersion(), o.kind());
        return o.namespace() == null ? resources.withName(o.name()).get() : resources.inNamespace(o.namespace()).withName(o.name()).get();
    }

    @Test
    @Order(1)
    void installCreatesTheCrdAndEveryObjectOfTheChart() {
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).isNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(STANDARD_CRD).get()).isNull();

        Helm.Result install = helm("install", "groundwork", Helm.CHART.toString(), "--namespace", NAMESPACE, "--create-namespace");
        assertThat(install.ok()).as(install.toString()).isTrue();
        assertThat(install.stdout()).contains("STATUS: deployed", "REVISION: 1", "NOTES:",
                "is installed in namespace groundwork-system as release groundwork",
                "kubectl wait --for=condition=Ready productplatform/payments");

        assertThat(established(CRD).getSpec().getNames().getShortNames()).containsExactly("pp");
        assertThat(established(STANDARD_CRD).getSpec().getNames().getShortNames()).containsExactly("pstd");

        defaultObjects = Manifests.parse(Helm.ok(helm("get", "manifest", "groundwork", "--namespace", NAMESPACE)));
        assertThat(defaultObjects).extracting(Obj::kind).containsExactlyInAnyOrderElementsOf(DEFAULT_KINDS);
        for (Obj o : defaultObjects) {
            GenericKubernetesResource live = live(o);
            assertThat(live).as("%s exists", o).isNotNull();
            assertThat(live.getMetadata().getAnnotations()).as(o.toString())
                    .containsEntry("meta.helm.sh/release-name", "groundwork")
                    .containsEntry("meta.helm.sh/release-namespace", NAMESPACE);
        }
        // kubectl sees them as a user would.
        Kubectl.Result get = Cli.kubectl(kubeconfig, "get", "-n", NAMESPACE, "deployment/groundwork", "serviceaccount/groundwork",
                "service/groundwork-metrics", "role/groundwork-leader-election", "role/groundwork-standard-revisions");
        assertThat(get.ok()).as(get.output()).isTrue();
        // The standard, complete (the API server defaulted nothing the chart left out: it renders every field).
        Kubectl.Result standard = Cli.kubectl(kubeconfig, "get", "pstd", "default", "-o", "yaml");
        assertThat(standard.ok()).as(standard.output()).isTrue();
        assertThat(standard.output()).contains("kind: PlatformStandard", "tiers:", "critical:", "allowedClasses:",
                "environments:", "rollout:", "strategy: Waves");
        assertThat(Helm.ok(helm("status", "groundwork", "--namespace", NAMESPACE))).contains("STATUS: deployed");
    }

    @Test
    @Order(2)
    void anUpgradeWithNonDefaultValuesAddsTheOptionalObjects() {
        // The documented upgrade: the CRDs first (Helm never upgrades crds/; it owns the fields it created). Not
        // through `helm show crds`: it joins the chart's two CRD files with no `---`, and kubectl would read one
        // document, the last CRD.
        Kubectl.Result crd = Cli.kubectl(kubeconfig, "apply", "--server-side", "--force-conflicts",
                "-f", Helm.CHART.resolve("crds").toString());
        assertThat(crd.ok()).as(crd.output()).isTrue();
        assertThat(crd.output()).contains("customresourcedefinition.apiextensions.k8s.io/" + CRD + " serverside-applied",
                "customresourcedefinition.apiextensions.k8s.io/" + STANDARD_CRD + " serverside-applied");

        admin.resource(serviceMonitorCrd()).create();
        Helm.Result upgrade = helm("upgrade", "groundwork", Helm.CHART.toString(), "--namespace", NAMESPACE,
                "--set", "replicas=2", "--set", "metrics.serviceMonitor.enabled=true", "--set", "log.format=json");
        assertThat(upgrade.ok()).as(upgrade.toString()).isTrue();
        assertThat(upgrade.stdout()).contains("REVISION: 2");

        upgradedObjects = Manifests.parse(Helm.ok(helm("get", "manifest", "groundwork", "--namespace", NAMESPACE)));
        assertThat(upgradedObjects).extracting(Obj::kind).contains("PodDisruptionBudget", "ServiceMonitor")
                .hasSize(DEFAULT_KINDS.size() + 2);
        for (Obj o : upgradedObjects) {
            assertThat(live(o)).as("%s exists", o).isNotNull();
        }
        assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName("groundwork").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("groundwork").get()
                .getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void uninstallRemovesEveryObjectAndKeepsTheCrdAndTheProducts() {
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: survivor
                spec:
                  team: survivors
                  environments:
                    - name: prod
                """);
        Helm.Result uninstall = helm("uninstall", "groundwork", "--namespace", NAMESPACE);
        assertThat(uninstall.ok()).as(uninstall.toString()).isTrue();
        assertThat(uninstall.stdout()).contains("release \"groundwork\" uninstalled");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (Obj o : upgradedObjects) {
                assertThat(live(o)).as("%s is gone", o).isNull();
            }
        });
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).as("the CRD stays").isNotNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(STANDARD_CRD).get()).as("the CRD stays").isNotNull();
        assertThat(admin.resources(ProductPlatform.class).withName("survivor").get()).as("products stay").isNotNull();
        assertThat(Helm.ok(helm("list", "--all-namespaces", "--short"))).isBlank();
    }

    @Test
    @Order(4)
    void onAClusterWithoutGroundworkTheKubectlManifestsInstallTheSameObjects() throws Exception {
        // The last step of a complete removal (docs/install.md); nothing holds a finalizer on the products here.
        Kubectl.Result delete = Cli.kubectl(kubeconfig, "delete", "crd", CRD, STANDARD_CRD, "--wait=true", "--timeout=60s");
        assertThat(delete.ok()).as(delete.output()).isTrue();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get()).isNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(STANDARD_CRD).get()).isNull();

        // docs/install.md: the CRDs first, established, then everything (02 holds the PlatformStandard).
        Kubectl.Result crds = Cli.kubectl(kubeconfig, "apply", "--server-side",
                "-f", "deploy/01-crd-platformstandards.groundwork.dev.yaml", "-f", "deploy/01-crd-productplatforms.groundwork.dev.yaml");
        assertThat(crds.ok()).as(crds.output()).isTrue();
        assertThat(crds.output()).contains("customresourcedefinition.apiextensions.k8s.io/" + CRD + " serverside-applied",
                "customresourcedefinition.apiextensions.k8s.io/" + STANDARD_CRD + " serverside-applied");
        Kubectl.Result wait = Cli.kubectl(kubeconfig, "wait", "--for", "condition=established", "--timeout=60s",
                "crd/" + STANDARD_CRD, "crd/" + CRD);
        assertThat(wait.ok()).as(wait.output()).isTrue();
        Kubectl.Result apply = Cli.kubectl(kubeconfig, "apply", "--server-side", "-f", "deploy/");
        assertThat(apply.ok()).as(apply.output()).isTrue();
        List<Obj> manifests = Manifests.parse(Files.readString(Path.of("deploy", "02-groundwork.yaml")));
        assertThat(manifests).extracting(Obj::toString).containsExactlyInAnyOrderElementsOf(
                defaultObjects.stream().map(Obj::toString).toList());
        for (Obj o : manifests) {
            assertThat(live(o)).as("%s exists", o).isNotNull();
        }
        assertThat(admin.namespaces().withName(NAMESPACE).get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        assertThat(apply.output()).contains("platformstandard.groundwork.dev/default serverside-applied");
        Set<String> kinds = Set.copyOf(manifests.stream().map(Obj::kind).toList());
        assertThat(kinds).hasSize(10);
    }

    private static CustomResourceDefinition established(String name) {
        return admin.apiextensions().v1().customResourceDefinitions().withName(name)
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(s -> "Established".equals(s.getType()) && "True".equals(s.getStatus())), 30, TimeUnit.SECONDS);
    }

    /** Just enough of prometheus-operator's ServiceMonitor API for the chart's ServiceMonitor to be stored. */
    private static CustomResourceDefinition serviceMonitorCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("servicemonitors.monitoring.coreos.com").endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                .withNewNames().withKind("ServiceMonitor").withListKind("ServiceMonitorList").withPlural("servicemonitors")
                .withSingular("servicemonitor").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
    }
}
