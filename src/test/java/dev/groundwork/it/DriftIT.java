package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift in Enforce mode, kind by kind: a deleted object comes back, a changed owned field is reverted, and each
 * repair is recorded (status, event, metric) with the field manager that made the change.
 */
class DriftIT {
    static final String PRODUCT = "drift";
    static final String NS = "drift-prod";
    static final ResourceDefinitionContext FLOW = new ResourceDefinitionContext.Builder()
            .withGroup("logging.banzaicloud.io").withVersion("v1beta1").withKind("Flow").withPlural("flows")
            .withNamespaced(true).build();

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(30)).withFlowApi();

    @BeforeAll
    static void start() throws Exception {
        // The peer exists, so groundwork-allow-from-products has a rule to write (a peer with no namespace has none).
        Products.apply(running.admin(), """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: drift-peer
                spec:
                  team: drift-peer
                  environments:
                    - name: prod
                """);
        TestOperator.awaitStatus(running.admin(), "drift-peer", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Products.apply(running.admin(), """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: drift
                spec:
                  team: drift-sre
                  tier: critical
                  environments:
                    - name: prod
                  networking:
                    allowIngressFrom:
                      - product: drift-peer
                    allowEgressCIDRs:
                      - cidr: 203.0.113.0/24
                """);
        ProductPlatform ready = TestOperator.awaitStatus(running.admin(), PRODUCT, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        assertThat(Products.reason(ready, "LoggingReady")).isEqualTo("FlowApplied");
    }


    static void installFlowApi(KubernetesClient client) throws Exception {
        try (InputStream in = DriftIT.class.getResourceAsStream("/crds/flows.logging.banzaicloud.io.yaml")) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.resource(crd).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
        }
    }

    /** Waits for a drift record of the object matching the check, and returns it. */
    static DriftRecord awaitRecord(String product, String object, Predicate<DriftRecord> match) {
        DriftRecord[] found = new DriftRecord[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            ProductPlatform p = running.admin().resources(ProductPlatform.class).withName(product).get();
            List<DriftRecord> recent = p.getStatus().drift().recent();
            found[0] = recent.stream().filter(r -> r.object().equals(object) && match.test(r)).findFirst().orElse(null);
            assertThat(found[0]).as("record of %s in %s", object, recent).isNotNull();
        });
        return found[0];
    }

    static List<Event> events(String product, String reason) {
        return events(running.admin(), product, reason);
    }

    static List<Event> events(KubernetesClient client, String product, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> product.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    private static double counter(String name, String kind) {
        Counter c = running.operator().meters().find(name).tags("product", PRODUCT, "kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    private static HasMetadata get(String kind, String name) {
        return switch (kind) {
            case "NetworkPolicy" -> running.admin().network().v1().networkPolicies().inNamespace(NS).withName(name).get();
            case "ResourceQuota" -> running.admin().resourceQuotas().inNamespace(NS).withName(name).get();
            case "LimitRange" -> running.admin().limitRanges().inNamespace(NS).withName(name).get();
            case "Flow" -> running.admin().genericKubernetesResources(FLOW).inNamespace(NS).withName(name).get();
            case "RoleBinding" -> running.admin().rbac().roleBindings().inNamespace(NS).withName(name).get();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"NetworkPolicy/groundwork-default-deny", "NetworkPolicy/groundwork-allow-same-namespace",
            "NetworkPolicy/groundwork-allow-dns", "NetworkPolicy/groundwork-allow-ingress-controller",
            "NetworkPolicy/groundwork-allow-monitoring", "NetworkPolicy/groundwork-allow-from-products",
            "NetworkPolicy/groundwork-allow-egress", "ResourceQuota/groundwork-storage", "LimitRange/groundwork-storage",
            "Flow/groundwork-logging", "RoleBinding/groundwork-team"})
    void aDeletedObjectIsRecreatedAndRecorded(String kindAndName) {
        String kind = kindAndName.split("/")[0];
        String name = kindAndName.split("/")[1];
        String object = kind + " " + NS + "/" + name;
        String uid = get(kind, name).getMetadata().getUid();
        double detected = counter("groundwork.drift.detected", kind);
        int warnings = events(PRODUCT, "DriftDetected").size();

        Kubectl.Result deleted = Kubectl.run("delete", kind.equals("Flow") ? "flows.logging.banzaicloud.io" : kind.toLowerCase(),
                name, "-n", NS);
        assertThat(deleted.ok()).as(deleted.output()).isTrue();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(get(kind, name).getMetadata().getUid()).isNotEqualTo(uid));
        DriftRecord record = awaitRecord(PRODUCT, object, r -> r.change() == DriftChange.Missing);
        assertThat(record.action()).isEqualTo(DriftAction.Repaired);
        assertThat(record.area()).isEqualTo(switch (kind) {
            case "Flow" -> "logging";
            case "NetworkPolicy" -> "networking";
            case "RoleBinding" -> "access";
            default -> "storage";
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(PRODUCT, "DriftDetected")).hasSizeGreaterThan(warnings)
                    .anySatisfy(e -> assertThat(e.getMessage()).startsWith("Missing " + object).isNotNull());
            assertThat(events(PRODUCT, "DriftRepaired")).anySatisfy(e -> assertThat(e.getMessage()).contains(object));
        });
        assertThat(counter("groundwork.drift.detected", kind)).isEqualTo(detected + 1);
    }

    static List<Object[]> ownedFieldChanges() {
        return List.of(
                new Object[]{"networkpolicy", "groundwork-default-deny", "{\"spec\":{\"policyTypes\":[\"Ingress\"]}}", "spec.policyTypes"},
                new Object[]{"resourcequota", "groundwork-storage", "{\"spec\":{\"hard\":{\"requests.storage\":\"10Ti\"}}}",
                        "spec.hard.requests.storage"},
                new Object[]{"limitrange", "groundwork-storage",
                        "{\"spec\":{\"limits\":[{\"type\":\"PersistentVolumeClaim\",\"max\":{\"storage\":\"1Ti\"}}]}}", "spec.limits"},
                new Object[]{"flows.logging.banzaicloud.io", "groundwork-logging", "{\"spec\":{\"globalOutputRefs\":[\"elsewhere\"]}}",
                        "spec.globalOutputRefs"},
                new Object[]{"rolebinding", "groundwork-team", "{\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\","
                        + "\"kind\":\"User\",\"name\":\"mallory\"}]}", "subjects"});
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("ownedFieldChanges")
    void aPatchedOwnedFieldIsRevertedAndTheManagerNamed(String resource, String name, String patch, String field) {
        String kind = switch (resource) {
            case "networkpolicy" -> "NetworkPolicy";
            case "resourcequota" -> "ResourceQuota";
            case "limitrange" -> "LimitRange";
            case "rolebinding" -> "RoleBinding";
            default -> "Flow";
        };
        HasMetadata before = get(kind, name);
        Kubectl.Result patched = Kubectl.run("patch", resource, name, "-n", NS, "--type=merge", "-p", patch);
        assertThat(patched.ok()).as(patched.output()).isTrue();
        DriftRecord record = awaitRecord(PRODUCT, kind + " " + NS + "/" + name,
                r -> r.change() == DriftChange.Modified && r.fields().contains(field));
        assertThat(record.changedBy()).isEqualTo("kubectl-patch");
        assertThat(record.action()).isEqualTo(DriftAction.Repaired);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(spec(get(kind, name))).isEqualTo(spec(before)));
    }

    @Test
    void anEditStyleUpdateOfANamespaceLabelIsRevertedAndTheManagerNamed() {
        var ns = running.admin().namespaces().withName(NS).get();
        ns.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "privileged");
        try (KubernetesClient editor = editor()) {
            editor.resource(ns).update();
        }
        DriftRecord record = awaitRecord(PRODUCT, "Namespace " + NS, r -> r.fields() != null
                && r.fields().contains("metadata.labels.pod-security.kubernetes.io/enforce"));
        assertThat(record.changedBy()).isEqualTo("kubectl-edit");
        assertThat(record.area()).isEqualTo("namespaces");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(running.admin().namespaces().withName(NS).get()
                .getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted"));
    }

    @Test
    void anEditStyleUpdateOfAPolicyIsRevertedAndTheManagerNamed() {
        var policy = running.admin().network().v1().networkPolicies().inNamespace(NS).withName("groundwork-allow-monitoring").get();
        policy.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels()
                .put("kubernetes.io/metadata.name", "somewhere-else");
        try (KubernetesClient editor = editor()) {
            editor.resource(policy).update();
        }
        DriftRecord record = awaitRecord(PRODUCT, "NetworkPolicy " + NS + "/groundwork-allow-monitoring",
                r -> r.fields() != null && r.fields().contains("spec.ingress"));
        assertThat(record.changedBy()).isEqualTo("kubectl-edit");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(running.admin().network().v1().networkPolicies()
                .inNamespace(NS).withName("groundwork-allow-monitoring").get().getSpec().getIngress().get(0).getFrom().get(0)
                .getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void aRemovedLabelIsRestoredWithoutGuessingWhoRemovedIt() {
        Kubectl.Result removed = Kubectl.run("label", "namespace", NS, "groundwork.dev/team-");
        assertThat(removed.ok()).as(removed.output()).isTrue();
        DriftRecord record = awaitRecord(PRODUCT, "Namespace " + NS, r -> r.fields() != null
                && r.fields().contains("metadata.labels.groundwork.dev/team"));
        // A removed field has no owner in managedFields, and the remover leaves no entry: unknown, not guessed.
        assertThat(record.changedBy()).isNull();
        assertThat(record.action()).isEqualTo(DriftAction.Repaired);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(running.admin().namespaces().withName(NS).get()
                .getMetadata().getLabels()).containsEntry("groundwork.dev/team", "drift-sre"));
    }

    @Test
    void labelsAnnotationsAndFieldsOthersAddAreNotDrift() throws InterruptedException {
        // In sync first: a repair of an earlier test may still wait for its backoff, and ends its episode in status.
        ProductPlatform before = TestOperator.awaitStatus(running.admin(), PRODUCT, p -> {
            assertThat(Products.isTrue(p, "InSync")).isTrue();
            assertThat(p.getStatus().drift().outstanding()).isNull();
        });
        int mark = running.operator().writes().mark();
        assertThat(Kubectl.run("label", "namespace", NS, "cost-center=4711").ok()).isTrue();
        assertThat(Kubectl.run("annotate", "networkpolicy", "groundwork-default-deny", "-n", NS, "owner=alice").ok()).isTrue();
        assertThat(Kubectl.run("label", "resourcequota", "groundwork-storage", "-n", NS, "audited=yes").ok()).isTrue();
        assertThat(Kubectl.run("patch", "resourcequota", "groundwork-storage", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"hard\":{\"pods\":\"50\"}}}").ok()).isTrue();
        assertThat(Kubectl.run("patch", "flows.logging.banzaicloud.io", "groundwork-logging", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"filters\":[{\"stdout\":{}}]}}").ok()).isTrue();
        Thread.sleep(5000);

        ProductPlatform after = running.admin().resources(ProductPlatform.class).withName(PRODUCT).get();
        assertThat(after.getStatus().drift()).isEqualTo(before.getStatus().drift());
        assertThat(running.operator().writes().writesSince(mark)).isEmpty();
        assertThat(running.admin().resourceQuotas().inNamespace(NS).withName("groundwork-storage").get().getSpec().getHard())
                .containsKey("pods");
    }

    @Test
    void metricsCountWhatTheTestsCaused() {
        assertThat(running.operator().meters().find("groundwork.products").tag("ready", "true").gauge().value()).isGreaterThanOrEqualTo(1);
        Map<String, Double> byKind = new java.util.TreeMap<>();
        running.operator().meters().find("groundwork.drift.repaired").tag("product", PRODUCT).counters()
                .forEach(c -> byKind.merge(c.getId().getTag("kind"), c.count(), Double::sum));
        ProductPlatform p = running.admin().resources(ProductPlatform.class).withName(PRODUCT).get();
        long repaired = p.getStatus().drift() == null ? 0 : p.getStatus().drift().repairedTotal();
        assertThat(byKind.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo((double) repaired);
    }

    /** A client that writes like kubectl edit: a full update (PUT) whose field manager is "kubectl-edit". */
    static KubernetesClient editor() {
        io.fabric8.kubernetes.client.Config config = ApiServer.config();
        // Without an explicit fieldManager, the API server names the manager after the user agent.
        config.setUserAgent("kubectl-edit/v" + ApiServer.VERSION);
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
    }

    private static Object spec(HasMetadata object) {
        if (object instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding binding) {
            return List.of(binding.getRoleRef(), binding.getSubjects());
        }
        if (object instanceof GenericKubernetesResource generic) {
            return generic.getAdditionalProperties().get("spec");
        }
        return io.fabric8.kubernetes.client.utils.Serialization.asJson(object).replaceAll(".*\"spec\":", "");
    }
}
