package dev.groundwork.it.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.ClusterRoleAggregation;
import dev.groundwork.it.Kubectl;
import dev.groundwork.it.OptionalCrds;
import dev.groundwork.it.Products;
import dev.groundwork.it.Standards;
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
        ClusterRoleAggregation.aggregateBuiltInRoles(admin);
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
        // The chart's standard, read, validated and stored by the operator with the chart's roles.
        PlatformStandard standard = await().atMost(Duration.ofSeconds(60)).until(
                () -> Standards.current(admin),
                s -> s != null && s.getStatus() != null && s.getStatus().revision() != null);
        String revision = StandardLoader.defaults().revision();
        assertThat(standard.getStatus().revision()).isEqualTo(revision);
        assertThat(standard.getStatus().conditions()).anySatisfy(c -> assertThat(List.of(c.getType(), c.getStatus()))
                .isEqualTo(List.of("Valid", "True")));
        assertThat(admin.apps().controllerRevisions().inNamespace(NAMESPACE).withName("groundwork-standard-" + revision).get())
                .as("the revision is stored in the operator's namespace").isNotNull();
        for (String name : List.of("payments", "storefront")) {
            ProductPlatform product = TestOperator.awaitStatus(admin, name, p -> assertThat(Products.isTrue(p, "Ready"))
                    .as("%s: %s\n%s\n%s", name, p.getStatus(), podA.log(), podB.log()).isTrue());
            assertThat(Products.reason(product, "LoggingReady")).isEqualTo("FlowApplied");
            assertThat(product.getStatus().standardRevision()).isEqualTo(revision);
        }
        // The Audit example writes nothing and says what Enforce would do.
        ProductPlatform audit = TestOperator.awaitStatus(admin, "ml-sandbox",
                p -> assertThat(Products.reason(p, "Ready")).isEqualTo("DriftReported"));
        assertThat(audit.getStatus().standardRevision()).isEqualTo(revision);

        assertThat(admin.namespaces().withName("payments-prod").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "groundwork");
        assertThat(admin.network().v1().networkPolicies().inNamespace("storefront-dev").list().getItems()).isNotEmpty();
        assertThat(admin.genericKubernetesResources("logging.banzaicloud.io/v1beta1", "Flow").inNamespace("payments-prod")
                .withName("groundwork-logging").get()).isNotNull();
        assertThat(admin.resourceQuotas().inNamespace("payments-staging").withName("groundwork-storage").get()).isNotNull();
        assertThat(admin.limitRanges().inNamespace("storefront-prod").withName("groundwork-storage").get()).isNotNull();
        assertThat(admin.rbac().roleBindings().inNamespace("payments-prod").withName("groundwork-team").get().getRoleRef().getName())
                .isEqualTo("view");
        assertThat(admin.rbac().roleBindings().inNamespace("storefront-dev").withName("groundwork-team").get().getRoleRef().getName())
                .isEqualTo("edit");
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
                List.of("watch", "rolebindings.rbac.authorization.k8s.io", "--all-namespaces"),
                List.of("create", "rolebindings.rbac.authorization.k8s.io", product),
                List.of("delete", "rolebindings.rbac.authorization.k8s.io", product),
                List.of("bind", "clusterroles.rbac.authorization.k8s.io/view"),
                List.of("bind", "clusterroles.rbac.authorization.k8s.io/edit"),
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
                List.of("bind", "clusterroles.rbac.authorization.k8s.io/cluster-admin"),
                List.of("bind", "clusterroles.rbac.authorization.k8s.io/admin"),
                List.of("bind", "clusterroles.rbac.authorization.k8s.io/system:aggregate-to-edit"),
                List.of("bind", "roles.rbac.authorization.k8s.io/anything", product),
                List.of("escalate", "clusterroles.rbac.authorization.k8s.io/view"),
                List.of("create", "clusterrolebindings.rbac.authorization.k8s.io"),
                List.of("create", "roles.rbac.authorization.k8s.io", product),
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

    @Test
    @Order(5)
    void theServiceAccountReadsTheStandardAndKeepsItsRevisionsInItsNamespaceOnly() {
        // One request per line: the answer, the verb, the resource and its flags.
        String requests = """
                yes get platformstandards.groundwork.dev/default
                yes list platformstandards.groundwork.dev
                yes watch platformstandards.groundwork.dev
                yes patch platformstandards.groundwork.dev/default --subresource=status
                no create platformstandards.groundwork.dev
                yes patch platformstandards.groundwork.dev/default
                no patch platformstandards.groundwork.dev/other
                no update platformstandards.groundwork.dev/default
                no delete platformstandards.groundwork.dev/default
                yes list controllerrevisions.apps --namespace=OWN
                yes watch controllerrevisions.apps --namespace=OWN
                yes create controllerrevisions.apps --namespace=OWN
                yes delete controllerrevisions.apps --namespace=OWN
                no update controllerrevisions.apps --namespace=OWN
                no patch controllerrevisions.apps --namespace=OWN
                no create controllerrevisions.apps --namespace=payments-prod
                no create controllerrevisions.apps --namespace=kube-system
                no list controllerrevisions.apps --all-namespaces
                yes get clusterroles.rbac.authorization.k8s.io/view
                yes get clusterroles.rbac.authorization.k8s.io/edit
                no get clusterroles.rbac.authorization.k8s.io/admin
                no list clusterroles.rbac.authorization.k8s.io
                """.replace("OWN", NAMESPACE);
        for (String line : requests.strip().split("\n")) {
            List<String> words = List.of(line.split(" "));
            assertThat(canI(words.subList(1, words.size()))).as("can-i %s", line).isEqualTo(words.get(0));
        }
    }

    @Test
    @Order(6)
    void theTeamsBindingsGrantWhatTheStandardSaysAndNothingElsewhere() {
        // payments is critical: view in prod, edit in staging. storefront (standard) belongs to another team.
        List<String> team = List.of("--as=someone", "--as-group=oidc:payments-sre");
        assertThat(asUser(team, "get", "pods", "-n", "payments-prod")).isEqualTo("yes");
        assertThat(asUser(team, "create", "deployments.apps", "-n", "payments-prod")).isEqualTo("no");
        assertThat(asUser(team, "create", "deployments.apps", "-n", "payments-staging")).isEqualTo("yes");
        assertThat(asUser(team, "get", "pods", "-n", "storefront-prod")).isEqualTo("no");
        assertThat(asUser(team, "get", "pods", "-n", NAMESPACE)).isEqualTo("no");
        assertThat(asUser(List.of("--as=someone"), "get", "pods", "-n", "payments-prod")).as("not in the group").isEqualTo("no");
        assertThat(asUser(List.of("--as=someone", "--as-group=oidc:web-platform"), "create", "deployments.apps",
                "-n", "storefront-dev")).isEqualTo("yes");
        // The Audit example got no binding: its team has nothing yet.
        assertThat(asUser(List.of("--as=someone", "--as-group=oidc:data-science"), "get", "pods", "-n", "ml-sandbox-dev"))
                .isEqualTo("no");
    }

    @Test
    @Order(7)
    void theOperatorMayBindExactlyTheStandardsRoles() {
        // Its permission list shows bind (and get, to check they exist) on view and edit by name, and nowhere else.
        Kubectl.Result list = serviceAccount.kubectl("auth", "can-i", "--list", "--namespace=payments-prod");
        assertThat(list.ok()).as(list.output()).isTrue();
        List<String> binds = list.output().lines().filter(l -> l.matches(".*\\[[^]]*bind[^]]*]\\s*$")).toList();
        // kubectl prints one line per resource name.
        assertThat(binds).extracting(line -> List.of(line.strip().split("\\s+"))).containsExactlyInAnyOrder(
                List.of("clusterroles.rbac.authorization.k8s.io", "[]", "[view]", "[bind", "get]"),
                List.of("clusterroles.rbac.authorization.k8s.io", "[]", "[edit]", "[bind", "get]"));
        assertThat(list.output()).doesNotContain("*.*").doesNotContain("secrets");

        // Real requests, judged by the API server's escalation check (server dry-run writes nothing). Each is the
        // binding the team-bindings policy admits (groundwork-team, a product namespace, a Group), so RBAC decides.
        for (String role : List.of("cluster-admin", "admin", "system:aggregate-to-edit")) {
            Kubectl.Result refused = bind("groundwork-team", role, "--group=oidc:payments-sre", "payments-prod");
            assertThat(refused.ok()).as(role).isFalse();
            assertThat(refused.output()).as(role).contains("forbidden").contains("attempting to grant RBAC permissions not currently held");
        }
        // view may be bound: the request passes RBAC and the policy and only meets the existing binding.
        Kubectl.Result view = bind("groundwork-team", "view", "--group=oidc:payments-sre", "payments-prod");
        assertThat(view.output()).contains("\"groundwork-team\" already exists").doesNotContain("forbidden");
        Kubectl.Result clusterWide = serviceAccount.kubectl("create", "clusterrolebinding", "rbac-it-view",
                "--clusterrole=view", "--group=oidc:payments-sre", "--dry-run=server");
        assertThat(clusterWide.ok()).isFalse();
        assertThat(clusterWide.output()).contains("forbidden");

        // The team-bindings policy keeps the bindable roles inside product namespaces, to groups, under one name.
        String policy = "ValidatingAdmissionPolicy 'gw-rbac-groundwork-team-bindings'";
        assertThat(bind("groundwork-team", "edit", "--group=oidc:payments-sre", NAMESPACE).output())
                .contains(policy).contains("binds roles only in namespaces it manages, not in " + NAMESPACE);
        assertThat(bind("groundwork-team", "edit", "--group=oidc:payments-sre", "kube-system").output())
                .contains(policy).contains("not in kube-system");
        assertThat(bind("backdoor", "view", "--group=oidc:payments-sre", "payments-prod").output())
                .contains(policy).contains("writes no RoleBinding but groundwork-team, not backdoor");
        assertThat(bind("groundwork-team", "view", "--user=mallory", "payments-prod").output())
                .contains(policy).contains("binds roles only to a team's Group");
        assertNothingRefused();
    }

    private static Kubectl.Result bind(String name, String role, String subject, String namespace) {
        return serviceAccount.kubectl("create", "rolebinding", name, "--clusterrole=" + role, subject,
                "--namespace=" + namespace, "--dry-run=server");
    }

    /** kubectl auth can-i as the admin impersonating someone: what a person would be allowed. */
    private static String asUser(List<String> who, String... request) {
        List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i"));
        args.addAll(List.of(request));
        args.addAll(who);
        Kubectl.Result result = Kubectl.run(args.toArray(String[]::new));
        String answer = result.output().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(Set.of("yes", "no")).as("%s: %s", args, result.output()).contains(answer);
        return answer;
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
