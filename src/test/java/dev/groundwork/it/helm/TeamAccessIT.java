package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
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
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
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
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Team access (issue 14), acceptance 1 to 3. The operator runs in-process with a token of the chart's
 * ServiceAccount as its only credential, so the API server judges every RoleBinding it writes against the chart's
 * ClusterRole: bind on exactly the standard's bindable roles (view, edit). kubectl auth can-i, impersonating a
 * member of a team's group, shows what the bindings really grant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamAccessIT {
    private static final String NAMESPACE = "gw-access-system";
    private static final String TEAM_GROUP = "oidc:teamed-sre";
    private static final List<String> PRODUCTS = List.of("teamed", "neighbour", "audited-access", "unbindable");
    private static final Duration RESYNC = Duration.ofSeconds(30);

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static Config operatorCredentials;
    private static TestOperator operator;

    @BeforeAll
    static void install() throws IOException {
        admin = ApiServer.client();
        ClusterRoleAggregation.aggregateBuiltInRoles(admin);
        // The cluster-wide policies are proven by their own tests; the team-bindings policy (on) holds this account only.
        release = ChartRelease.install("gw-access", NAMESPACE, """
                storagePolicy: {enabled: false}
                namespaceIdentityPolicy: {enabled: false}
                """);
        ServiceAccountAccess account = ServiceAccountAccess.of(admin, NAMESPACE, release.fullname());
        operatorCredentials = Config.fromKubeconfig(Files.readString(account.kubeconfig()));
        // This class changes the standard the operator falls back on (restartWith): the chart's PlatformStandard goes,
        // so that built-in one applies; the last test puts a PlatformStandard back to show the same refusal there.
        deleteClusterStandard();
        operator = TestOperator.start(operatorCredentials, StandardLoader.defaults(), RESYNC, NAMESPACE);
    }

    private static void deleteClusterStandard() {
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(30));
    }

    @AfterAll
    static void uninstall() {
        try {
            if (admin != null && operator != null) {
                restartWith("");
                for (String name : PRODUCTS) {
                    admin.resources(ProductPlatform.class).withName(name).delete();
                }
                for (String name : PRODUCTS) {
                    admin.resources(ProductPlatform.class).withName(name).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
                }
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

    /** The operator restarted with another standard, as helm upgrade of standard: values does it. */
    private static void restartWith(String standardYaml) {
        operator.close();
        operator = TestOperator.start(operatorCredentials, standard(standardYaml), RESYNC, NAMESPACE);
    }

    private static LoadedStandard standard(String yaml) {
        return Standards.fromYaml(yaml);
    }

    private static void apply(String name, String team, String tier, String extra, String... environments) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                  team: %s
                  tier: %s
                  environments:
                """.formatted(name, team, tier));
        for (String env : environments) {
            yaml.append("    - name: ").append(env).append('\n');
        }
        yaml.append(extra);
        Products.apply(admin, yaml.toString());
    }

    private static RoleBinding binding(String namespace) {
        return admin.rbac().roleBindings().inNamespace(namespace).withName("groundwork-team").get();
    }

    private static String role(String namespace) {
        RoleBinding binding = binding(namespace);
        return binding == null ? null : binding.getRoleRef().getName();
    }

    private static ProductPlatform awaitReady(String name) {
        return TestOperator.awaitStatus(admin, name, p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(p.getMetadata().getGeneration());
            assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue();
        });
    }

    private static String canI(String user, List<String> groups, String... request) {
        return Kubectl.canI(user, groups, request);
    }

    private static String asTeam(String... request) {
        return canI("someone", List.of(TEAM_GROUP), request);
    }

    private static long driftDetected(String name) {
        ProductPlatform p = admin.resources(ProductPlatform.class).withName(name).get();
        return p.getStatus().drift() == null || p.getStatus().drift().detectedTotal() == null ? 0 : p.getStatus().drift().detectedTotal();
    }

    private static long events(String product, String reason) {
        return admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> product.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).count();
    }

    private static DriftRecord awaitRecord(String product, String object, Predicate<DriftRecord> match) {
        DriftRecord[] found = new DriftRecord[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<DriftRecord> recent = admin.resources(ProductPlatform.class).withName(product).get().getStatus().drift().recent();
            found[0] = recent.stream().filter(r -> r.object().equals(object) && match.test(r)).findFirst().orElse(null);
            assertThat(found[0]).as("record of %s in %s", object, recent).isNotNull();
        });
        return found[0];
    }

    @Test
    @Order(1)
    void aProductGetsItsTeamsRoleInEveryNamespaceViewInProdEditInStaging() {
        apply("teamed", "teamed-sre", "standard", "", "prod", "staging");
        apply("neighbour", "neighbour-sre", "standard", "", "prod", "staging");
        ProductPlatform ready = awaitReady("teamed");
        awaitReady("neighbour");

        assertThat(Products.reason(ready, "AccessReady")).isEqualTo("RoleBindingApplied");
        assertThat(Products.condition(ready, "AccessReady").orElseThrow().getMessage()).isEqualTo(
                "Group oidc:teamed-sre has ClusterRole view in prod; ClusterRole edit in staging (RoleBinding groundwork-team).");
        for (String env : List.of("prod", "staging")) {
            RoleBinding binding = binding("teamed-" + env);
            assertThat(binding.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "groundwork")
                    .containsEntry("groundwork.dev/product", "teamed").containsEntry("groundwork.dev/environment", env);
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("Group");
                assertThat(s.getName()).isEqualTo(TEAM_GROUP);
                assertThat(s.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
            });
        }
        assertThat(role("teamed-prod")).isEqualTo("view");
        assertThat(role("teamed-staging")).isEqualTo("edit");

        // What a member of the team may really do: view in prod, edit in staging, nothing in another product.
        assertThat(asTeam("get", "pods", "-n", "teamed-prod")).isEqualTo("yes");
        assertThat(asTeam("list", "deployments.apps", "-n", "teamed-prod")).isEqualTo("yes");
        assertThat(asTeam("create", "deployments.apps", "-n", "teamed-prod")).isEqualTo("no");
        assertThat(asTeam("delete", "pods", "-n", "teamed-prod")).isEqualTo("no");
        assertThat(asTeam("get", "secrets", "-n", "teamed-prod")).as("view does not read Secrets").isEqualTo("no");
        assertThat(asTeam("create", "deployments.apps", "-n", "teamed-staging")).isEqualTo("yes");
        assertThat(asTeam("delete", "pods", "-n", "teamed-staging")).isEqualTo("yes");
        assertThat(asTeam("create", "rolebindings.rbac.authorization.k8s.io", "-n", "teamed-staging"))
                .as("edit grants no RBAC").isEqualTo("no");
        for (String other : List.of("neighbour-prod", "neighbour-staging", "default", "kube-system")) {
            assertThat(asTeam("get", "pods", "-n", other)).as(other).isEqualTo("no");
        }
        assertThat(canI("someone", List.of(), "get", "pods", "-n", "teamed-prod")).as("outside the group").isEqualTo("no");
        assertThat(canI("someone", List.of("oidc:neighbour-sre"), "get", "pods", "-n", "neighbour-prod")).isEqualTo("yes");
        assertThat(driftDetected("teamed")).isZero();
    }

    @Test
    @Order(2)
    void aChangedRoleRecreatesTheBindingWithoutFailureOrDrift() {
        String prodUid = binding("teamed-prod").getMetadata().getUid();
        String stagingUid = binding("teamed-staging").getMetadata().getUid();

        // The tier changes: sandbox gives edit in prod too. roleRef is immutable: delete and create.
        apply("teamed", "teamed-sre", "sandbox", "", "prod", "staging");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(role("teamed-prod")).isEqualTo("edit"));
        ProductPlatform ready = awaitReady("teamed");
        assertThat(binding("teamed-prod").getMetadata().getUid()).isNotEqualTo(prodUid);
        assertThat(binding("teamed-staging").getMetadata().getUid()).as("same role: untouched").isEqualTo(stagingUid);
        assertThat(Products.isTrue(ready, "InSync")).isTrue();
        assertThat(asTeam("create", "deployments.apps", "-n", "teamed-prod")).isEqualTo("yes");

        // The standard changes (helm upgrade rolls the operator): sandbox prod back to view.
        String recreatedUid = binding("teamed-prod").getMetadata().getUid();
        restartWith("tiers: {sandbox: {access: {roles: {prod: view}}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(role("teamed-prod")).isEqualTo("view"));
        ready = TestOperator.awaitStatus(admin, "teamed", p -> {
            assertThat(p.getStatus().standardRevision()).isNotEqualTo(StandardLoader.defaults().revision());
            assertThat(Products.isTrue(p, "Ready")).isTrue();
        });
        assertThat(binding("teamed-prod").getMetadata().getUid()).isNotEqualTo(recreatedUid);
        assertThat(asTeam("create", "deployments.apps", "-n", "teamed-prod")).isEqualTo("no");

        // A change of ours is no drift: no record, no event, never a failure.
        assertThat(driftDetected("teamed")).isZero();
        assertThat(events("teamed", "DriftDetected")).isZero();
        assertThat(ready.getStatus().conditions()).allSatisfy(c -> assertThat(c.getReason()).isNotIn("ApplyFailed", "RepairFailed"));
        restartWith("");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(role("teamed-prod")).isEqualTo("edit"));
        awaitReady("teamed");
        assertThat(driftDetected("teamed")).isZero();
    }

    @Test
    @Order(3)
    void aPersonAddingASubjectIsDriftRepairedAndAttributed() {
        String object = "RoleBinding teamed-staging/groundwork-team";
        Kubectl.Result patched = Kubectl.run("patch", "rolebinding", "groundwork-team", "-n", "teamed-staging", "--type=json",
                "-p", "[{\"op\":\"add\",\"path\":\"/subjects/-\",\"value\":"
                        + "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"mallory\"}}]");
        assertThat(patched.ok()).as(patched.output()).isTrue();

        DriftRecord record = awaitRecord("teamed", object, r -> r.change() == DriftChange.Modified);
        assertThat(record.area()).isEqualTo("access");
        assertThat(record.fields()).containsExactly("subjects");
        assertThat(record.changedBy()).isEqualTo("kubectl-patch");
        assertThat(record.action()).isEqualTo(DriftAction.Repaired);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(binding("teamed-staging").getSubjects()).extracting(s -> s.getName()).containsExactly(TEAM_GROUP));
        assertThat(canI("mallory", List.of(), "get", "pods", "-n", "teamed-staging")).isEqualTo("no");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("teamed", "DriftRepaired")).isPositive());

        // A deleted binding is Missing drift, re-created.
        String uid = binding("teamed-staging").getMetadata().getUid();
        assertThat(Kubectl.run("delete", "rolebinding", "groundwork-team", "-n", "teamed-staging").ok()).isTrue();
        awaitRecord("teamed", object, r -> r.change() == DriftChange.Missing && r.action() == DriftAction.Repaired);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(binding("teamed-staging").getMetadata().getUid()).isNotEqualTo(uid));
        ProductPlatform after = awaitReady("teamed");
        assertThat(after.getStatus().drift().detectedTotal()).isEqualTo(2L);
        assertThat(after.getStatus().drift().repairedTotal()).isEqualTo(2L);
    }

    @Test
    @Order(4)
    void auditReportsAMissingOrDifferentBindingAndWritesNothing() {
        apply("audited-access", "audit-team", "standard", "", "prod");
        awaitReady("audited-access");
        String uid = binding("audited-access-prod").getMetadata().getUid();

        // Under Audit the tier changes: the standard now wants edit in prod, the live binding has view.
        int mark = operator.writes().mark();
        apply("audited-access", "audit-team", "sandbox", "  access: {mode: Audit}\n", "prod");
        ProductPlatform reported = TestOperator.awaitStatus(admin, "audited-access", p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(2L);
            assertThat(Products.reason(p, "AccessReady")).isEqualTo("DriftReported");
        });
        assertThat(Products.condition(reported, "AccessReady").orElseThrow().getMessage())
                .contains("RoleBinding audited-access-prod/groundwork-team (roleRef.name)")
                .contains("Switch access to Enforce");
        assertThat(Products.reason(reported, "Ready")).isEqualTo("DriftReported");
        assertThat(Products.reason(reported, "InSync")).isEqualTo("DriftReported");
        assertThat(reported.getStatus().drift().recent()).anySatisfy(r -> {
            assertThat(r.object()).isEqualTo("RoleBinding audited-access-prod/groundwork-team");
            assertThat(r.action()).isEqualTo(DriftAction.Reported);
            assertThat(r.fields()).containsExactly("roleRef.name");
        });

        // Deleted under Audit: reported missing, not re-created.
        assertThat(Kubectl.run("delete", "rolebinding", "groundwork-team", "-n", "audited-access-prod").ok()).isTrue();
        reported = TestOperator.awaitStatus(admin, "audited-access", p -> assertThat(
                Products.condition(p, "AccessReady").orElseThrow().getMessage())
                .contains("RoleBinding audited-access-prod/groundwork-team (missing)"));
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(binding("audited-access-prod")).isNull();
        assertThat(operator.writes().writesSince(mark, "/rolebindings")).isEmpty();
        assertThat(Products.isTrue(reported, "NetworkingReady")).as("other areas stay enforced and ready").isTrue();

        // Back to Enforce: created with the role the standard names now.
        apply("audited-access", "audit-team", "sandbox", "", "prod");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(role("audited-access-prod")).isEqualTo("edit"));
        awaitReady("audited-access");
        assertThat(binding("audited-access-prod").getMetadata().getUid()).isNotEqualTo(uid);
    }

    @Test
    @Order(5)
    void aRoleTheOperatorMayNotBindIsAConditionNotACrashNorALoop() {
        apply("unbindable", "unbindable-sre", "critical", "", "prod", "staging");
        awaitReady("unbindable");
        String prodUid = binding("unbindable-prod").getMetadata().getUid();

        // The standard lists admin, but the chart's ClusterRole (rendered from other values) grants bind on view and edit only.
        restartWith("""
                access: {bindableRoles: [view, edit, admin]}
                tiers: {critical: {access: {roles: {prod: admin}}}}
                """);
        ProductPlatform refused = TestOperator.awaitStatus(admin, "unbindable", p -> {
            assertThat(Products.reason(p, "AccessReady")).isEqualTo("RoleNotBindable");
            assertThat(Products.isTrue(p, "Ready")).isFalse();
        });
        String message = Products.condition(refused, "AccessReady").orElseThrow().getMessage();
        assertThat(message).startsWith("The operator may not bind ClusterRole admin, which the standard gives the team")
                .contains("standard.access.bindableRoles").contains("existing bindings are left as they are");
        assertThat(Products.reason(refused, "Ready")).isEqualTo("RoleNotBindable");
        // The refused role cost nothing: the old binding stays, staging (edit) is untouched, no drift.
        assertThat(binding("unbindable-prod").getMetadata().getUid()).isEqualTo(prodUid);
        assertThat(role("unbindable-prod")).isEqualTo("view");
        assertThat(role("unbindable-staging")).isEqualTo("edit");
        assertThat(driftDetected("unbindable")).isZero();

        // No loop: with nothing changing, neither reconciles nor writes follow.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        int reconciles = operator.reconciliations("unbindable");
        int mark = operator.writes().mark();
        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
        assertThat(operator.reconciliations("unbindable")).isLessThanOrEqualTo(reconciles + 1);
        // At most one periodic resync fell into the window: its only write is the dry-run that asks again.
        assertThat(operator.writes().writesSince(mark, "unbindable")).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(w -> assertThat(w).startsWith("POST ").endsWith("/namespaces/unbindable-prod/rolebindings"));
        assertThat(admin.resources(ProductPlatform.class).withName("unbindable").get().getStatus()).isEqualTo(refused.getStatus());

        // The product still changes around the refused role: a new environment gets its binding.
        apply("unbindable", "unbindable-sre", "critical", "", "prod", "staging", "dev");
        TestOperator.awaitStatus(admin, "unbindable", p -> {
            assertThat(p.getStatus().observedGeneration()).isEqualTo(2L);
            assertThat(Products.reason(p, "AccessReady")).isEqualTo("RoleNotBindable");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(role("unbindable-dev")).isEqualTo("edit"));
    }

    @Test
    @Order(6)
    void aPlatformStandardNamingARoleTheOperatorMayNotBindIsInvalidAndNotUsed() {
        restartWith("");
        // On the restarted operator's standard first: a status from before the restart would make a later move look
        // like the invalid standard's doing.
        String builtIn = standard("").revision();
        ProductPlatform before = TestOperator.awaitStatus(admin, "teamed", p -> {
            assertThat(p.getStatus().standardRevision()).isEqualTo(builtIn);
            assertThat(Products.isTrue(p, "Ready")).isTrue();
        });
        String uid = binding("teamed-prod").getMetadata().getUid();
        Kubectl.Result applied = Kubectl.apply("""
                apiVersion: groundwork.dev/v1alpha1
                kind: PlatformStandard
                metadata:
                  name: default
                spec:
                  access: {bindableRoles: [view, edit, admin]}
                  tiers: {standard: {access: {roles: {prod: admin}}}}
                """);
        assertThat(applied.ok()).as(applied.output()).isTrue();
        try {
            PlatformStandard invalid = await().atMost(Duration.ofSeconds(30)).until(
                    () -> Standards.current(admin),
                    s -> s.getStatus() != null && s.getStatus().conditions().stream()
                            .anyMatch(c -> c.getType().equals("Valid") && c.getStatus().equals("False")));
            assertThat(invalid.getStatus().conditions()).filteredOn(c -> c.getType().equals("Valid")).singleElement()
                    .satisfies(c -> assertThat(c.getMessage()).contains("the operator may not bind ClusterRole admin"));
            // Not used: the products stay on their revision and their bindings as they are.
            assertThat(admin.resources(ProductPlatform.class).withName("teamed").get().getStatus().standardRevision())
                    .isEqualTo(before.getStatus().standardRevision());
            assertThat(binding("teamed-prod").getMetadata().getUid()).isEqualTo(uid);
        } finally {
            deleteClusterStandard();
        }
    }
}
