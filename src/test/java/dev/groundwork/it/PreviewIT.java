package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.FieldChange;
import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.PreviewSummary;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.api.v1alpha1.Severity;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23 on the real API server: applying a new standard with {@code rollout.paused: true} is the plan step. Every
 * product's status.preview and the standard's summary say what the target revision would change and break, judged on
 * the live cluster (Pod Security by the API server's own dry run of the namespace update, storage against the quota's
 * status.used and the claims there are), with no write to any product namespace and no product moving. Pods exist as
 * API objects only (no node). Where a test sets a ResourceQuota's status it plays the quota controller, and says so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreviewIT {
    private static final List<String> SANDBOX = List.of("pv-s1", "pv-s2", "pv-s3");
    private static final List<String> PRODUCTS = List.of("pv-s1", "pv-s2", "pv-s3", "pv-k1", "pv-d1");
    private static final String BEFORE = StandardLoader.defaults().revision();

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(2));

    private static String product(String name) {
        String tier = name.startsWith("pv-s") ? "sandbox" : name.startsWith("pv-k") ? "critical" : "standard";
        String environments = name.startsWith("pv-k") ? "[{name: prod}, {name: staging}]" : "[{name: prod}]";
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                  team: %s
                  tier: %s
                  environments: %s
                """.formatted(name, name, tier, environments);
    }

    @BeforeAll
    static void products() {
        KubernetesClient admin = running.admin();
        Standards.createOperatorNamespace(admin);
        PRODUCTS.forEach(p -> Products.apply(admin, product(p)));
        applyStandard("{}", false);
        // The standard's first revision is the built-in content: its status names it before anything is planned.
        await().atMost(Duration.ofSeconds(60)).until(() -> standard() != null && standard().getStatus() != null
                && BEFORE.equals(standard().getStatus().revision()) && standard().getStatus().rollout() != null
                && standard().getStatus().rollout().phase() == RolloutPhase.Complete);
        await().atMost(Duration.ofSeconds(60)).until(() -> PRODUCTS.stream().allMatch(p -> {
            ProductPlatform product = productNamed(p);
            return product != null && product.getStatus() != null && BEFORE.equals(product.getStatus().standardRevision())
                    && Products.isTrue(product, "Ready");
        }));
        // Pods as API objects: two sandbox products run pods that baseline admits and restricted does not; the third
        // runs one that meets restricted.
        pod("pv-s1-prod", "root-app", false);
        pod("pv-s2-prod", "legacy-worker", false);
        pod("pv-s3-prod", "hardened", true);
    }

    @AfterAll
    static void cleanUp() {
        KubernetesClient admin = running.admin();
        Products.deleteAndAwaitGone(admin, PRODUCTS);
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(30));
    }

    private static void pod(String namespace, String name, boolean restricted) {
        Pods.create(running.admin(), namespace, name, restricted);
    }

    /** kubectl apply of the standard with this content (YAML under spec, besides rollout), Waves, paused or not. */
    private static void applyStandard(String content, boolean paused) {
        String body = content.equals("{}") ? "" : content.stripTrailing() + "\n";
        Kubectl.Result result = Kubectl.applyStandard(body + """
                rollout:
                  strategy: Waves
                  paused: %s
                  progressDeadline: 30s
                  waves:
                    - {name: canary, selector: {matchLabels: {groundwork.dev/canary: "true"}}, soak: 1s}
                    - {name: sandbox, tiers: [sandbox], soak: 1s}
                    - {name: standard, tiers: [standard], soak: 1s}
                    - {name: critical, tiers: [critical]}
                """.formatted(paused));
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    private static PlatformStandard standard() {
        return Standards.current(running.admin());
    }

    private static ProductPlatform productNamed(String name) {
        return Products.named(running.admin(), name);
    }

    private static ProductPreview previewOf(String name) {
        ProductPlatform product = productNamed(name);
        return product == null || product.getStatus() == null ? null : product.getStatus().preview();
    }

    /** Applies the change paused and waits until every product's preview of its revision is summarised. */
    private static PlatformStandard plan(String content) {
        String before = standard().getStatus().revision();
        applyStandard(content, true);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(PreviewIT::standard, s -> {
            if (s.getStatus() == null || s.getStatus().revision() == null || s.getStatus().revision().equals(before)) {
                return false;
            }
            String target = s.getStatus().revision();
            PreviewSummary summary = s.getStatus().preview();
            return summary != null && target.equals(summary.revision()) && summary.previewed() == PRODUCTS.size() + others(target).previewed
                    && PRODUCTS.stream().allMatch(p -> Optional.ofNullable(previewOf(p)).map(ProductPreview::revision)
                    .filter(target::equals).isPresent());
        });
    }

    /**
     * What products of other test classes (left in the shared API server) add to the standard's summary: the summary
     * is fleet-wide, the assertions are about this class's products plus these.
     */
    static final class Others {
        int previewed;
        int changing;
        int blocked;
        final Map<String, Integer> updatedByKind = new HashMap<>();
        final Map<String, Integer> productsByArea = new HashMap<>();
        final java.util.Set<String> kinds = new java.util.TreeSet<>();
    }

    private static Others others(String target) {
        Others others = new Others();
        for (ProductPlatform p : running.admin().resources(ProductPlatform.class).list().getItems()) {
            ProductPreview preview = p.getStatus() == null ? null : p.getStatus().preview();
            if (PRODUCTS.contains(p.getMetadata().getName()) || preview == null || !target.equals(preview.revision())) {
                continue;
            }
            others.previewed++;
            if (preview.changes() != null) {
                others.changing++;
                preview.changes().forEach(c -> others.kinds.add(c.object().split(" ")[0]));
                preview.changes().stream().filter(c -> c.change() == ObjectChangeKind.Updated)
                        .forEach(c -> others.updatedByKind.merge(c.object().split(" ")[0], 1, Integer::sum));
            }
            if (preview.blocking() != null && preview.blocking() > 0) {
                others.blocked++;
            }
            Optional.ofNullable(preview.findings()).orElse(List.of()).stream().map(f -> f.area() + "/" + f.severity())
                    .distinct().forEach(k -> others.productsByArea.merge(k, 1, Integer::sum));
        }
        return others;
    }

    private static int updated(PreviewSummary summary, String kind) {
        return summary.objects().stream().filter(k -> k.kind().equals(kind)).findFirst().map(PreviewSummary.KindChanges::updated)
                .orElse(0);
    }

    private static void assertNothingMoved(int mark) {
        for (String p : PRODUCTS) {
            assertThat(productNamed(p).getStatus().standardRevision()).as(p + " stays on its revision").isEqualTo(BEFORE);
            assertThat(running.operator().writes().writesSince(mark, "/namespaces/" + p + "-"))
                    .as("writes to the namespaces of " + p).isEmpty();
        }
    }

    @Test
    @Order(1)
    void thePlanStepNamesTheProductsAndPodsRestrictedWouldRefuseWithoutWritingOrMoving() {
        int mark = running.operator().writes().mark();
        PlatformStandard standard = plan("tiers: {sandbox: {podSecurity: {enforce: restricted}}}");
        PreviewSummary summary = standard.getStatus().preview();
        System.out.printf("plan: summary %s; blocked %s%n", summary.summary(), summary.blockedProducts());

        Others others = others(standard.getStatus().revision());
        assertThat(summary.blockedProducts()).extracting(PreviewSummary.BlockedProduct::product)
                .filteredOn(p -> p.startsWith("pv-")).containsExactly("pv-s1", "pv-s2");
        List<PreviewSummary.BlockedProduct> ours = summary.blockedProducts().stream().filter(b -> b.product().startsWith("pv-")).toList();
        assertThat(ours.get(0).findings()).singleElement().asString()
                .startsWith("Pod pv-s1-prod/root-app: Pod root-app would violate Pod Security level restricted:v1.35: ")
                .contains("allowPrivilegeEscalation != false", "runAsNonRoot != true", "seccompProfile");
        assertThat(ours.get(1).findings()).singleElement().asString().startsWith("Pod pv-s2-prod/legacy-worker: ");
        assertThat(summary.blocked()).isEqualTo(2 + others.blocked);
        assertThat(summary.changing()).isEqualTo(3 + others.changing);
        assertThat(updated(summary, "Namespace")).as("every sandbox namespace whose labels change")
                .isEqualTo(3 + others.updatedByKind.getOrDefault("Namespace", 0));
        assertThat(summary.byArea()).contains(new PreviewSummary.AreaCount("podSecurity", Severity.Blocking,
                2 + others.productsByArea.getOrDefault("podSecurity/Blocking", 0)));
        String line = (3 + others.changing) + " of " + (5 + others.previewed) + " changing, " + (2 + others.blocked) + " blocked";
        assertThat(summary.summary()).isEqualTo(line);

        for (String p : SANDBOX) {
            ProductPreview preview = previewOf(p);
            assertThat(preview.fromRevision()).isEqualTo(BEFORE);
            assertThat(preview.changes()).singleElement().satisfies(c -> {
                assertThat(c.object()).isEqualTo("Namespace " + p + "-prod");
                assertThat(c.fields()).containsExactly(
                        new FieldChange("metadata.labels.pod-security.kubernetes.io/enforce", "baseline", "restricted"));
            });
            assertThat(running.operator().writes().dryRuns("/namespaces/" + p + "-prod")).as("dry runs of " + p)
                    .isNotEmpty().allMatch(w -> w.startsWith("PATCH /api/v1/namespaces/" + p + "-prod?dryRun=All"));
        }
        assertThat(previewOf("pv-s1").findings()).singleElement().satisfies(f -> {
            assertThat(f.area()).isEqualTo("podSecurity");
            assertThat(f.severity()).isEqualTo(Severity.Blocking);
            assertThat(f.namespace()).isEqualTo("pv-s1-prod");
            assertThat(f.subject()).isEqualTo("Pod pv-s1-prod/root-app");
            assertThat(f.evidence()).contains("existing pods in namespace \"pv-s1-prod\" violate the new PodSecurity enforce level");
            assertThat(f.checkedAt()).isNotNull();
        });
        assertThat(previewOf("pv-s3").findings()).isNull();
        assertThat(previewOf("pv-k1").changes()).isNull();
        assertThat(running.operator().writes().dryRuns("/namespaces/pv-k1")).as("no dry run where the labels stay").isEmpty();
        assertNothingMoved(mark);
        System.out.printf("plan: writes to product namespaces 0; dry runs %d%n",
                running.operator().writes().dryRuns("/namespaces/pv-").size());

        // Events (the products' and the standard's) and metrics say the same.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Event> events = running.admin().v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("PreviewBlocking");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("pv-s1");
                assertThat(e.getMessage()).contains("Pod pv-s1-prod/root-app");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("PreviewChanged");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains(line, "pv-s2");
            });
        });
        assertThat(running.operator().meters().get("groundwork.preview.products").tag("state", "blocked").gauge().value())
                .isEqualTo(2.0 + others.blocked);
        assertThat(running.operator().meters().get("groundwork.preview.findings.products").tag("area", "podSecurity")
                .gauge().value()).isEqualTo(2.0 + others.productsByArea.getOrDefault("podSecurity/Blocking", 0));

        Kubectl.Result wide = Kubectl.run("get", "pstd", "-o", "wide");
        System.out.println(wide.output());
        assertThat(wide.output()).contains("PREVIEW").contains(line);
    }

    @Test
    @Order(2)
    void raisingTheCriticalTotalChangesExactlyTheQuotaOfEachCriticalEnvironment() {
        int mark = running.operator().writes().mark();
        PlatformStandard standard = plan("tiers: {critical: {storage: {defaultTotal: 1Ti}}}");

        Others others = others(standard.getStatus().revision());
        assertThat(updated(standard.getStatus().preview(), "ResourceQuota"))
                .isEqualTo(2 + others.updatedByKind.getOrDefault("ResourceQuota", 0));
        java.util.Set<String> kinds = new java.util.TreeSet<>(others.kinds);
        kinds.add("ResourceQuota");
        assertThat(standard.getStatus().preview().objects()).extracting(PreviewSummary.KindChanges::kind)
                .containsExactlyInAnyOrderElementsOf(kinds);
        ProductPreview critical = previewOf("pv-k1");
        assertThat(critical.changes()).extracting(ObjectChange::object).containsExactly(
                "ResourceQuota pv-k1-prod/groundwork-storage", "ResourceQuota pv-k1-staging/groundwork-storage");
        assertThat(critical.changes()).allSatisfy(c -> {
            assertThat(c.change()).isEqualTo(ObjectChangeKind.Updated);
            assertThat(c.fields()).contains(new FieldChange("spec.hard.requests.storage", "500Gi", "1Ti"));
        });
        System.out.printf("changes: %s%n", critical.changes());
        for (String p : List.of("pv-s1", "pv-s2", "pv-s3", "pv-d1")) {
            assertThat(previewOf(p).changes()).as(p).isNull();
        }
        assertNothingMoved(mark);
    }

    @Test
    @Order(3)
    void storageBelowUsageOrBelowAClaimOrWithoutItsClassIsBlocking() {
        KubernetesClient admin = running.admin();
        // The test plays the quota controller: the quota's status says what the product's claims use.
        Quotas.playController(admin, "pv-d1-prod", Map.of());
        admin.persistentVolumeClaims().inNamespace("pv-d1-prod").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo")
                .withNewResources().addToRequests("storage", new Quantity("15Gi")).endResources().endSpec().build()).create();
        Quotas.playController(admin, "pv-d1-prod", Map.of("requests.storage", "80Gi", "persistentvolumeclaims", "3"));
        int mark = running.operator().writes().mark();

        plan("tiers: {standard: {storage: {defaultTotal: 50Gi, defaultClaimSize: 10Gi}}}");
        List<PreviewFinding> findings = previewOf("pv-d1").findings();
        System.out.printf("storage: %s%n", findings);
        assertThat(findings).extracting(PreviewFinding::subject).containsExactlyInAnyOrder(
                "ResourceQuota pv-d1-prod/groundwork-storage", "PersistentVolumeClaim pv-d1-prod/data");
        assertThat(findings).allMatch(f -> f.severity() == Severity.Blocking && f.namespace().equals("pv-d1-prod"));
        assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("80Gi", "new limit 50Gi"));
        assertThat(findings).anySatisfy(f -> assertThat(f.message()).contains("15Gi", "largest-claim limit 10Gi"));
        assertThat(standard().getStatus().preview().blockedProducts()).extracting(PreviewSummary.BlockedProduct::product)
                .filteredOn(p -> p.startsWith("pv-")).containsExactly("pv-d1");

        plan("storage: {allowedClasses: [fast-rwo, standard-rwx], defaultClasses: [fast-rwo]}");
        assertThat(previewOf("pv-d1").findings()).anySatisfy(f -> {
            assertThat(f.subject()).isEqualTo("PersistentVolumeClaim pv-d1-prod/data");
            assertThat(f.severity()).isEqualTo(Severity.Blocking);
            assertThat(f.message()).contains("storage class standard-rwo");
        });
        assertNothingMoved(mark);
    }

    @Test
    @Order(4)
    void egressBecomingDeniedListsTheEgressEachStandardProductLoses() {
        int mark = running.operator().writes().mark();
        plan("tiers: {standard: {egress: deny}}");
        assertThat(previewOf("pv-d1").findings()).anySatisfy(f -> {
            assertThat(f.area()).isEqualTo("network");
            assertThat(f.severity()).isEqualTo(Severity.Warning);
            assertThat(f.subject()).isEqualTo("pv-d1-prod -> any destination");
        });
        assertThat(previewOf("pv-k1").findings()).isNull();

        // The ingress controller's namespace changed, and the sandbox team's prod role narrowed from edit to view.
        plan("ingressController: {namespace: ingress-next}\ntiers: {sandbox: {access: {roles: {prod: view, staging: edit, dev: edit}}}}");
        assertThat(previewOf("pv-d1").findings()).singleElement().satisfies(f -> {
            assertThat(f.area()).isEqualTo("network");
            assertThat(f.subject()).isEqualTo("ingress-nginx -> pv-d1-prod");
            assertThat(f.message()).contains("still allowed").contains("ingress-next -> pv-d1-prod");
        });
        assertThat(previewOf("pv-s1").findings()).anySatisfy(f -> {
            assertThat(f.area()).isEqualTo("access");
            assertThat(f.severity()).isEqualTo(Severity.Warning);
            assertThat(f.message()).isEqualTo("Group oidc:pv-s1 gets a narrower role in prod: ClusterRole edit -> view.");
        });
        System.out.printf("network and access: %s%n", previewOf("pv-s1").findings());
        assertNothingMoved(mark);
    }
}
