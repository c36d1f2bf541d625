package dev.groundwork.it.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.OptionalCrds;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acceptance 3: the chart's ClusterRole and Role are sufficient and no more. The chart is installed with two
 * replicas; two pods of its Deployment run as local processes of the packaged operator with a TokenRequest token
 * of the chart's ServiceAccount as their only credential (RBAC is enforced: kube-api-test starts kube-apiserver
 * with --authorization-mode=RBAC). They elect a leader through the chart's Role, reconcile examples/ to Ready
 * (kube-logging Flow API installed, so Flows are written too), repair a drift and record its Event; the log shows
 * no request was refused. kubectl auth can-i with the same token shows what the account cannot do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {
    private static final String NAMESPACE = "gw-rbac-system";
    private static final List<String> EXAMPLES = List.of("payments", "storefront", "ml-sandbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KubernetesClient admin;
    private static boolean flowApiInstalledHere;
    private static ChartRelease release;
    private static ServiceAccountAccess serviceAccount;
    private static ChartOperator podA;
    private static ChartOperator podB;

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        flowApiInstalledHere = FlowApi.install(admin);
        release = ChartRelease.install("gw-rbac", NAMESPACE, """
                replicas: 2
                log:
                  format: json
                # Cluster-wide; StoragePolicyIT proves it. Left out so that no other test's claims meet it.
                storagePolicy:
                  enabled: false
                # Cluster-wide; NamespaceIdentityPolicyIT proves it.
                namespaceIdentityPolicy:
                  enabled: false
                """);
        serviceAccount = ServiceAccountAccess.of(admin, NAMESPACE, release.fullname());
        podA = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-5d8c7-aaaaa", serviceAccount);
        podB = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-5d8c7-bbbbb", serviceAccount);
        podA.awaitStarted(Duration.ofSeconds(90));
        podB.awaitStarted(Duration.ofSeconds(90));
        Kubectl.Result applied = Kubectl.run("apply", "-f", "examples/");
        assertThat(applied.ok()).as(applied.output()).isTrue();
    }

    @AfterAll
    static void uninstall() {
        try {
            if (admin != null) {
                // Deleted while the operator runs, so its finalizer (Retain) lets them go.
                for (String name : EXAMPLES) {
                    admin.resources(ProductPlatform.class).withName(name).delete();
                }
                for (String name : EXAMPLES) {
                    admin.resources(ProductPlatform.class).withName(name).waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (podA != null) {
                podA.close();
            }
            if (podB != null) {
                podB.close();
            }
            if (release != null) {
                release.close();
            }
            if (flowApiInstalledHere) {
                FlowApi.uninstall(admin);
            }
            if (admin != null) {
                admin.close();
            }
        }
    }

    private static ChartOperator leader() {
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName("groundwork-leader").get();
        String holder = lease.getSpec().getHolderIdentity();
        return podA.podName().equals(holder) ? podA : podB;
    }

    @Test
    @Order(1)
    void theExamplesBecomeReadyWithTheChartsRolesOnly() {
        for (String name : List.of("payments", "storefront")) {
            ProductPlatform product = TestOperator.awaitStatus(admin, name, p -> assertThat(Products.isTrue(p, "Ready"))
                    .as("%s: %s\n%s\n%s", name, p.getStatus(), podA.log(), podB.log()).isTrue());
            assertThat(Products.reason(product, "LoggingReady")).isEqualTo("FlowApplied");
            assertThat(product.getStatus().standardRevision()).isEqualTo(StandardLoader.defaults().revision());
        }
        // The Audit example writes nothing and says what Enforce would do.
        ProductPlatform audit = TestOperator.awaitStatus(admin, "ml-sandbox",
                p -> assertThat(Products.reason(p, "Ready")).isEqualTo("DriftReported"));
        assertThat(audit.getStatus().standardRevision()).isEqualTo(StandardLoader.defaults().revision());

        assertThat(admin.namespaces().withName("payments-prod").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "groundwork");
        assertThat(admin.network().v1().networkPolicies().inNamespace("storefront-dev").list().getItems()).isNotEmpty();
        assertThat(admin.genericKubernetesResources("logging.banzaicloud.io/v1beta1", "Flow").inNamespace("payments-prod")
                .withName("groundwork-logging").get()).isNotNull();
        assertThat(admin.resourceQuotas().inNamespace("payments-staging").withName("groundwork-storage").get()).isNotNull();
        assertThat(admin.limitRanges().inNamespace("storefront-prod").withName("groundwork-storage").get()).isNotNull();
        assertNothingRefused();
    }

    @Test
    @Order(2)
    void exactlyOneReplicaLeadsThroughTheChartsLease() {
        Lease lease = await().atMost(Duration.ofSeconds(30)).until(
                () -> admin.leases().inNamespace(NAMESPACE).withName("groundwork-leader").get(),
                l -> l != null && l.getSpec().getHolderIdentity() != null);
        assertThat(lease.getSpec().getHolderIdentity()).isIn(podA.podName(), podB.podName());
        // Both replicas are healthy and ready: the standby keeps its caches warm to take over at once.
        for (ChartOperator pod : List.of(podA, podB)) {
            assertThat(pod.status("/q/health/live")).as(pod.podName()).isEqualTo(200);
            assertThat(pod.status("/q/health/ready")).as(pod.podName()).isEqualTo(200);
        }
        // Only the leader reconciles; the standby's counters show none.
        ChartOperator leader = leader();
        ChartOperator standby = leader == podA ? podB : podA;
        assertThat(leader.get("/q/metrics").body())
                .contains("operator_sdk_reconciliations_started_total{").contains("name=\"payments\"");
        assertThat(standby.get("/q/metrics").body()).contains("# TYPE")
                .doesNotContain("operator_sdk_reconciliations_started_total{");
    }

    @Test
    @Order(3)
    void aDriftIsRepairedAndItsEventRecorded() {
        String namespace = "payments-prod";
        admin.network().v1().networkPolicies().inNamespace(namespace).withName("groundwork-default-deny")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"policyTypes\":[\"Ingress\"]}}");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            NetworkPolicy policy = admin.network().v1().networkPolicies().inNamespace(namespace).withName("groundwork-default-deny").get();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Event> events = admin.v1().events().inNamespace("default").list().getItems().stream()
                    .filter(e -> "payments".equals(e.getInvolvedObject().getName()) && "ProductPlatform".equals(e.getInvolvedObject().getKind()))
                    .toList();
            assertThat(events).extracting(Event::getReason).contains("DriftDetected", "DriftRepaired");
        });
        assertNothingRefused();
    }

    @Test
    @Order(4)
    void healthMetricsAndJsonLogsAsTheChartConfiguresThem() throws Exception {
        ChartOperator leader = leader();
        for (String probe : List.of("/q/health/started", "/q/health/live", "/q/health/ready")) {
            assertThat(leader.status(probe)).as(probe).isEqualTo(200);
        }
        var metrics = leader.get("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE", "jvm_memory_used_bytes");
        // log.format=json: every line the operator printed is one JSON object.
        List<String> lines = leader.logLines();
        assertThat(lines).hasSizeGreaterThan(5);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.has("level") && node.has("message") && node.has("timestamp")).as(line).isTrue();
        }
    }

    @Test
    @Order(4)
    void theOpenReportsApiInstalledWhileRunningIsUsedWithTheChartsRolesOnly() throws Exception {
        OptionalCrds.install(admin, OptionalCrds.REPORTS);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    assertThat(admin.genericKubernetesResources("openreports.io/v1alpha1", "Report").inNamespace("payments-prod")
                            .withName("groundwork").get()).as("%s\n%s", podA.log(), podB.log()).isNotNull());
            assertNothingRefused();
            // Asked while the API is installed: kubectl resolves the resource through discovery.
            String product = "--namespace=payments-prod";
            for (List<String> request : List.of(
                    List.of("watch", "customresourcedefinitions.apiextensions.k8s.io/reports.openreports.io"),
                    List.of("list", "reports.openreports.io", product),
                    List.of("create", "reports.openreports.io", product),
                    List.of("patch", "reports.openreports.io", product),
                    List.of("delete", "reports.openreports.io", product))) {
                assertThat(canI(request)).as("can-i %s", request).isEqualTo("yes");
            }
            for (List<String> request : List.of(
                    List.of("get", "reports.openreports.io", product),
                    List.of("update", "reports.openreports.io", product),
                    List.of("watch", "customresourcedefinitions.apiextensions.k8s.io/clusterreports.openreports.io"))) {
                assertThat(canI(request)).as("can-i %s", request).isEqualTo("no");
            }
        } finally {
            OptionalCrds.remove(admin, "reports.openreports.io");
        }
    }

    @Test
    @Order(5)
    void theServiceAccountCannotReadSecretsNorWriteKindsOutsideItsList() {
        Kubectl.Result whoami = serviceAccount.kubectl("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        assertThat(whoami.output()).isEqualTo(serviceAccount.subject());

        String own = "--namespace=" + NAMESPACE;
        String product = "--namespace=payments-prod";
        List<List<String>> allowed = List.of(
                List.of("watch", "productplatforms.groundwork.dev"),
                List.of("patch", "productplatforms.groundwork.dev", "--subresource=status"),
                List.of("update", "productplatforms.groundwork.dev", "--subresource=finalizers"),
                List.of("create", "namespaces"),
                List.of("delete", "namespaces"),
                List.of("create", "networkpolicies.networking.k8s.io", product),
                List.of("patch", "resourcequotas", product),
                List.of("delete", "limitranges", product),
                List.of("list", "persistentvolumeclaims", "--all-namespaces"),
                List.of("watch", "storageclasses.storage.k8s.io"),
                List.of("get", "customresourcedefinitions.apiextensions.k8s.io/flows.logging.banzaicloud.io"),
                List.of("create", "flows.logging.banzaicloud.io", product),
                List.of("create", "events", "--namespace=default"),
                List.of("create", "leases.coordination.k8s.io", own),
                List.of("update", "leases.coordination.k8s.io/groundwork-leader", own),
                List.of("patch", "leases.coordination.k8s.io/groundwork-leader", own));
        List<List<String>> denied = List.of(
                List.of("get", "secrets", own),
                List.of("list", "secrets", "--all-namespaces"),
                List.of("watch", "secrets", product),
                List.of("create", "secrets", product),
                List.of("create", "productplatforms.groundwork.dev"),
                List.of("delete", "productplatforms.groundwork.dev"),
                List.of("create", "persistentvolumeclaims", product),
                List.of("delete", "persistentvolumeclaims", product),
                List.of("watch", "persistentvolumeclaims", product),
                List.of("create", "pods", product),
                List.of("create", "deployments.apps", product),
                List.of("create", "configmaps", product),
                List.of("get", "configmaps", own),
                List.of("create", "services", product),
                List.of("create", "serviceaccounts", product),
                List.of("create", "serviceaccounts", "--subresource=token", own),
                List.of("patch", "storageclasses.storage.k8s.io"),
                List.of("delete", "storageclasses.storage.k8s.io"),
                List.of("list", "customresourcedefinitions.apiextensions.k8s.io"),
                List.of("get", "customresourcedefinitions.apiextensions.k8s.io/productplatforms.groundwork.dev"),
                List.of("update", "customresourcedefinitions.apiextensions.k8s.io/flows.logging.banzaicloud.io"),
                List.of("create", "clusterroles.rbac.authorization.k8s.io"),
                List.of("bind", "clusterroles.rbac.authorization.k8s.io"),
                List.of("escalate", "clusterroles.rbac.authorization.k8s.io"),
                List.of("create", "rolebindings.rbac.authorization.k8s.io", own),
                List.of("delete", "validatingadmissionpolicies.admissionregistration.k8s.io"),
                List.of("create", "validatingadmissionpolicybindings.admissionregistration.k8s.io"),
                List.of("impersonate", "serviceaccounts", own),
                List.of("delete", "events", "--namespace=default"),
                List.of("update", "leases.coordination.k8s.io/some-other-lease", own),
                List.of("create", "leases.coordination.k8s.io", "--namespace=kube-system"),
                List.of("delete", "leases.coordination.k8s.io/groundwork-leader", own),
                List.of("create", "*.*", product));
        for (List<String> request : allowed) {
            assertThat(canI(request)).as("can-i %s", request).isEqualTo("yes");
        }
        for (List<String> request : denied) {
            assertThat(canI(request)).as("can-i %s", request).isEqualTo("no");
        }

        Kubectl.Result secrets = serviceAccount.kubectl("get", "secrets", own);
        assertThat(secrets.ok()).isFalse();
        assertThat(secrets.output()).contains("Forbidden").contains("cannot list resource \"secrets\"");
    }

    private static String canI(List<String> request) {
        List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i"));
        args.addAll(request);
        Kubectl.Result result = serviceAccount.kubectl(args.toArray(String[]::new));
        // The answer is the last line; kubectl may print a warning before it (a cluster-scoped kind with a namespace).
        List<String> lines = result.output().strip().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.startsWith("Warning: "));
        String answer = lines.get(lines.size() - 1);
        // kubectl exits 0 for yes and 1 for no; anything else is an error, not an answer.
        assertThat(Set.of("yes", "no")).as("%s: %s", request, result.output()).contains(answer);
        assertThat(result.exitCode()).isEqualTo(answer.equals("yes") ? 0 : 1);
        return answer;
    }

    /** A request the operator's role does not allow shows up as a 403 (Forbidden) in its log. */
    private static void assertNothingRefused() {
        for (ChartOperator pod : List.of(podA, podB)) {
            assertThat(pod.isAlive()).as(pod.podName()).isTrue();
            assertThat(pod.log()).as(pod.podName()).doesNotContainIgnoringCase("forbidden")
                    .doesNotContain("could not record event");
        }
    }
}
