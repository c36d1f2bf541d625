package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standard as an API on the real API server: an empty PlatformStandard is the complete standard; a change
 * applied with kubectl reaches every product without a restart and rewrites exactly what it concerns, with no drift;
 * what admission cannot judge makes it Invalid and it is not used; a restarted operator keeps each product on its own
 * revision; nothing is written while nothing changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandardRevisionsIT {
    private static final Duration RESYNC = Duration.ofSeconds(2);
    private static final List<String> PRODUCTS = List.of("std-web", "std-core", "std-late");
    private static final String BUILT_IN = StandardLoader.defaults().revision();

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(RESYNC);

    private static final String WEB = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: std-web
            spec:
              team: web
              tier: standard
              environments: [{name: prod}, {name: staging}]
            """;
    private static final String CORE = WEB.replace("std-web", "std-core").replace("team: web", "team: core")
            .replace("tier: standard", "tier: critical").replace(", {name: staging}", "");

    @BeforeAll
    static void products() {
        KubernetesClient admin = running.admin();
        Standards.createOperatorNamespace(admin);
        Products.apply(admin, WEB);
        Products.apply(admin, CORE);
        for (String name : List.of("std-web", "std-core")) {
            awaitReadyOn(name, BUILT_IN);
        }
    }

    @AfterAll
    static void cleanUp() {
        KubernetesClient admin = running.admin();
        Products.deleteAndAwaitGone(admin, PRODUCTS);
        // The standard is cluster-wide: later test classes get the built-in one again.
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(30));
    }

    private static ProductPlatform awaitReadyOn(String name, String revision) {
        return TestOperator.awaitStatus(running.admin(), name, p -> {
            assertThat(p.getStatus().standardRevision()).isEqualTo(revision);
            assertThat(Products.isTrue(p, "Ready")).as("%s", p.getStatus()).isTrue();
        });
    }

    private static PlatformStandard standard() {
        return Standards.current(running.admin());
    }

    private static Condition condition(PlatformStandard standard, String type) {
        return standard.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    /** Applies the spec; this class is about revisions, not waves, so a change reaches every product at once. */
    private static String apply(String spec) {
        if (!spec.equals("{}") && !spec.contains("rollout:")) {
            spec = spec.stripTrailing() + "\nrollout: {strategy: Immediate}\n";
        }
        Kubectl.Result result = Kubectl.applyStandard(spec);
        assertThat(result.ok()).as(result.output()).isTrue();
        return result.output();
    }

    /** resourceVersion of every object labelled for the products, by "Kind namespace/name". */
    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        KubernetesClient admin = running.admin();
        for (String product : PRODUCTS) {
            Stream.<HasMetadata>of().toList();
            Stream.concat(Stream.concat(admin.namespaces().withLabel("groundwork.dev/product", product).list().getItems().stream(),
                                    admin.network().v1().networkPolicies().inAnyNamespace().withLabel("groundwork.dev/product", product).list().getItems().stream()),
                            Stream.concat(Stream.concat(admin.resourceQuotas().inAnyNamespace().withLabel("groundwork.dev/product", product).list().getItems().stream(),
                                            admin.limitRanges().inAnyNamespace().withLabel("groundwork.dev/product", product).list().getItems().stream()),
                                    admin.rbac().roleBindings().inAnyNamespace().withLabel("groundwork.dev/product", product).list().getItems().stream()))
                    .forEach(o -> versions.put(o.getKind() + " " + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                            + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        }
        return versions;
    }

    private static Set<String> changed(Map<String, String> before, Map<String, String> after) {
        Set<String> changed = new java.util.TreeSet<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                changed.add(k);
            }
        });
        after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(changed::add);
        return changed;
    }

    @Test
    @Order(1)
    void withoutAPlatformStandardTheBuiltInOneAppliesAndStatusSaysSo() {
        ProductPlatform web = awaitReadyOn("std-web", BUILT_IN);
        assertThat(Products.condition(web, "Ready").orElseThrow().getMessage())
                .contains("the built-in standard: the cluster has no PlatformStandard");
    }

    @Test
    @Order(2)
    void anEmptyStandardIsTheCompleteStandardAndChangesNothing() {
        Map<String, String> before = versions();
        int mark = running.operator().writes().mark();

        apply("{}");

        PlatformStandard stored = await().atMost(Duration.ofSeconds(20)).until(StandardRevisionsIT::standard,
                s -> s.getStatus() != null && s.getStatus().revision() != null);
        assertThat(stored.getSpec().tiers().critical().storage().ceilingTotal()).isEqualTo("2Ti");
        assertThat(stored.getSpec().logging().sinks()).containsKeys("default", "audit");
        assertThat(stored.getSpec().environments()).containsExactly("prod", "staging", "dev");
        assertThat(stored.getStatus().revision()).as("the built-in content is the built-in revision").isEqualTo(BUILT_IN);
        assertThat(condition(stored, "Valid").getStatus()).isEqualTo("True");
        Kubectl.Result yaml = Kubectl.run("get", "pstd", "default", "-o", "yaml");
        assertThat(yaml.output()).contains("ceilingClaimSize: 500Gi", "groupTemplate: oidc:{team}", "strategy: Waves",
                "progressDeadline: 5m");
        ControllerRevision revision = running.admin().apps().controllerRevisions().inNamespace("groundwork-system")
                .withName("groundwork-standard-" + BUILT_IN).get();
        assertThat(revision).as("the revision is stored").isNotNull();
        awaitReadyOn("std-web", BUILT_IN);
        assertThat(changed(before, versions())).isEmpty();
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/std-")).isEmpty();
    }

    @Test
    @Order(3)
    void aChangedStandardReachesEveryProductWithoutARestartAndRewritesExactlyWhatItConcerns() {
        Map<String, String> before = versions();
        Map<String, Integer> totals = new ConcurrentHashMap<>();
        apply("""
                tiers:
                  standard:
                    storage: {ceilingTotal: 800Gi, defaultTotal: 150Gi}
                """);
        PlatformStandard moved = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            PlatformStandard s = standard();
            // At every step the standard counts every product on exactly one revision.
            if (s.getStatus() != null && s.getStatus().revisions() != null) {
                int counted = s.getStatus().revisions().stream().mapToInt(PlatformStandardStatus.RevisionCount::products).sum();
                totals.merge("steps", 1, Integer::sum);
                assertThat(counted).isEqualTo(s.getStatus().products());
            }
            return s;
        }, s -> s.getStatus() != null && !BUILT_IN.equals(s.getStatus().revision())
                && RolloutPhase.Complete == s.getStatus().rollout().phase());
        String revision = moved.getStatus().revision();
        // The whole fleet is counted: products other test classes left behind move too.
        int fleet = moved.getStatus().products();
        assertThat(fleet).isGreaterThanOrEqualTo(2);
        assertThat(moved.getStatus().revisions()).singleElement().satisfies(r -> {
            assertThat(r.revision()).isEqualTo(revision);
            assertThat(r.products()).isEqualTo(fleet);
        });
        assertThat(moved.getStatus().rollout().updated()).isEqualTo(fleet + "/" + fleet);
        assertThat(moved.getStatus().rollout().previousRevision()).isEqualTo(BUILT_IN);
        for (String name : List.of("std-web", "std-core")) {
            ProductPlatform product = awaitReadyOn(name, revision);
            assertThat(product.getStatus().drift()).as("a change of the standard is not drift").isNull();
        }
        assertThat(changed(before, versions())).containsExactlyInAnyOrder(
                "ResourceQuota std-web-prod/groundwork-storage", "ResourceQuota std-web-staging/groundwork-storage");
        assertThat(running.admin().resourceQuotas().inNamespace("std-web-prod").withName("groundwork-storage").get()
                .getSpec().getHard().get("requests.storage").toString()).isEqualTo("150Gi");
        assertThat(running.admin().apps().controllerRevisions().inNamespace("groundwork-system").list().getItems())
                .extracting(r -> r.getMetadata().getName())
                .contains("groundwork-standard-" + BUILT_IN, "groundwork-standard-" + revision);
    }

    @Test
    @Order(4)
    void whatAdmissionCannotJudgeMakesTheStandardInvalidAndUnused() throws InterruptedException {
        String before = standard().getStatus().revision();
        Map<String, String> versions = versions();
        int mark = running.operator().writes().mark();

        apply("""
                tiers:
                  standard:
                    storage: {ceilingTotal: 800Gi, defaultTotal: 150Gi}
                environments: [prod, dev]
                protectedNamespaces: [std-core-prod]
                access:
                  bindableRoles: [view, edit, groundwork-no-such-role]
                """);

        PlatformStandard invalid = await().atMost(Duration.ofSeconds(20)).until(StandardRevisionsIT::standard,
                s -> "False".equals(condition(s, "Valid").getStatus()));
        assertThat(condition(invalid, "Valid").getReason()).isEqualTo("Invalid");
        assertThat(condition(invalid, "Valid").getMessage())
                .contains("access.bindableRoles: ClusterRole groundwork-no-such-role does not exist")
                // Products other test classes left in the shared API server may be named too.
                .containsPattern("environments: staging is missing but used by product [^;]*std-web")
                .contains("protectedNamespaces: std-core-prod is a namespace of product std-core")
                .contains("Products stay on revision " + before);
        assertThat(invalid.getStatus().revision()).isEqualTo(before);
        Thread.sleep(RESYNC.multipliedBy(2).toMillis());
        assertThat(changed(versions, versions())).isEmpty();
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/std-")).isEmpty();
        for (String name : List.of("std-web", "std-core")) {
            awaitReadyOn(name, before);
        }
    }

    @Test
    @Order(5)
    void aRestartedOperatorKeepsEachProductOnItsOwnRevisionAndWritesNothing() throws InterruptedException {
        String first = standard().getStatus().revision();
        apply("""
                tiers:
                  standard:
                    storage: {ceilingTotal: 800Gi, defaultTotal: 150Gi}
                  critical:
                    logging: {ceilingDays: 500, defaultDays: 120}
                rollout: {strategy: Immediate, paused: true}
                """);
        String second = await().atMost(Duration.ofSeconds(20)).until(() -> standard().getStatus().revision(),
                r -> r != null && !r.equals(first));
        // Paused: the products stay; a product new to the operator starts on the newest revision.
        Products.apply(running.admin(), CORE.replace("std-core", "std-late").replace("team: core", "team: late"));
        awaitReadyOn("std-late", second);
        awaitReadyOn("std-web", first);
        awaitReadyOn("std-core", first);
        assertThat(standard().getStatus().rollout().phase()).isEqualTo(RolloutPhase.Paused);

        TestOperator restarted = running.restart();
        TestOperator.awaitStatus(running.admin(), "std-late", p -> assertThat(restarted.reconciliations("std-late")).isPositive());
        Thread.sleep(RESYNC.multipliedBy(3).toMillis());

        // Products other test classes left in the shared API server are not this test's business.
        assertThat(restarted.writes().writes()).as("writes after the restart")
                .filteredOn(w -> w.contains("std-") || w.contains("platformstandards")).isEmpty();
        awaitReadyOn("std-web", first);
        awaitReadyOn("std-core", first);
        awaitReadyOn("std-late", second);
        assertThat(running.admin().namespaces().withName("std-late-prod").get().getMetadata().getAnnotations())
                .containsEntry("groundwork.dev/log-retention-days", "120");
        assertThat(running.admin().namespaces().withName("std-core-prod").get().getMetadata().getAnnotations())
                .containsEntry("groundwork.dev/log-retention-days", "90");
    }

    @Test
    @Order(6)
    void aStandardAndProductsLeftAloneCauseNoWrite() throws InterruptedException {
        apply("""
                tiers:
                  standard:
                    storage: {ceilingTotal: 800Gi, defaultTotal: 150Gi}
                  critical:
                    logging: {ceilingDays: 500, defaultDays: 120}
                """);
        String newest = standard().getStatus().revision();
        for (String name : List.of("std-web", "std-core", "std-late")) {
            awaitReadyOn(name, newest);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> RolloutPhase.Complete == standard().getStatus().rollout().phase());
        Thread.sleep(RESYNC.toMillis());
        int mark = running.operator().writes().mark();

        Thread.sleep(RESYNC.multipliedBy(5).toMillis());

        assertThat(running.operator().writes().writesSince(mark)).as("writes over 5 resyncs, standard's status included")
                .filteredOn(w -> w.contains("std-") || w.contains("platformstandards")).isEmpty();
    }
}
