package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.ProductFailure;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.standard.StandardLoader;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23's gate on the real API server: under {@code rollout.impactPolicy: Halt} a product whose preview has a
 * blocking finding does not move when its wave starts (no write to its namespaces), the rollout halts naming it and
 * its pods, and resume accepts it; under Warn it moves and the finding stays reported; a violating pod created after
 * the preview is found by the fresh check right before the move. Pods exist as API objects only (no node).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreviewGateIT {
    private static final List<String> PRODUCTS = List.of("pg-c1", "pg-c2", "pg-s1");
    private static final String BASELINE = StandardLoader.defaults().revision();
    private static final String RESTRICTED = "tiers: {sandbox: {podSecurity: {enforce: restricted}}}";

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(2));

    private static String product(String name) {
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                  labels: %s
                spec:
                  team: %s
                  tier: sandbox
                  environments: [{name: prod}]
                """.formatted(name, name.startsWith("pg-c") ? "{groundwork.dev/canary: \"true\"}" : "{}", name);
    }

    @BeforeAll
    static void products() {
        KubernetesClient admin = running.admin();
        Standards.createOperatorNamespace(admin);
        PRODUCTS.forEach(p -> Products.apply(admin, product(p)));
        applyStandard("{}", false, "Halt");
        awaitComplete(BASELINE);
        pod("pg-c1-prod", "root-app", false);
        pod("pg-c2-prod", "hardened", true);
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

    private static void applyStandard(String content, boolean paused, String impactPolicy) {
        applyStandard(content, paused, impactPolicy, "Waves");
    }

    private static void applyStandard(String content, boolean paused, String impactPolicy, String strategy) {
        String body = content.equals("{}") ? "" : content.stripTrailing() + "\n";
        Kubectl.Result result = Kubectl.applyStandard(body + """
                rollout:
                  strategy: %s
                  paused: %s
                  impactPolicy: %s
                  progressDeadline: 30s
                  waves:
                    - {name: canary, selector: {matchLabels: {groundwork.dev/canary: "true"}}, soak: 1s}
                    - {name: sandbox, tiers: [sandbox], soak: 1s}
                    - {name: rest, tiers: [standard, critical]}
                """.formatted(strategy, paused, impactPolicy));
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    private static PlatformStandard standard() {
        return Standards.current(running.admin());
    }

    private static ProductPlatform productNamed(String name) {
        return Products.named(running.admin(), name);
    }

    private static String revisionOf(String name) {
        ProductPlatform p = productNamed(name);
        return p == null || p.getStatus() == null ? null : p.getStatus().standardRevision();
    }

    private static void awaitComplete(String revision) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(PreviewGateIT::standard,
                s -> s.getStatus() != null && revision.equals(s.getStatus().revision()) && s.getStatus().rollout() != null
                        && s.getStatus().rollout().phase() == RolloutPhase.Complete
                        && PRODUCTS.stream().allMatch(p -> revision.equals(revisionOf(p))));
    }

    private static String awaitTarget(String other) {
        return await().atMost(Duration.ofSeconds(30)).until(PreviewGateIT::standard, s -> s.getStatus() != null
                && s.getStatus().revision() != null && !s.getStatus().revision().equals(other)).getStatus().revision();
    }

    private static PlatformStandard awaitHalted() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(PreviewGateIT::standard,
                s -> s.getStatus() != null && s.getStatus().rollout() != null
                        && s.getStatus().rollout().phase() == RolloutPhase.Halted);
    }

    private static WaveStatus canary(PlatformStandard standard) {
        return standard.getStatus().rollout().waves().stream().filter(w -> w.name().equals("canary")).findFirst().orElseThrow();
    }

    private static void resume() {
        Kubectl.Result result = Kubectl.run("annotate", "pstd", "default", "groundwork.dev/rollout=resume", "--overwrite");
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    @Test
    @Order(1)
    void underHaltTheViolatingProductDoesNotMoveTheRolloutHaltsNamingItAndResumeMovesIt() {
        int mark = running.operator().writes().mark();
        applyStandard(RESTRICTED, false, "Halt");
        String target = awaitTarget(BASELINE);
        PlatformStandard halted = awaitHalted();
        await().atMost(Duration.ofSeconds(30)).until(() -> target.equals(revisionOf("pg-c2")));

        List<ProductFailure> failures = canary(halted).failures();
        System.out.printf("halt: %s; %s%n", failures, halted.getStatus().conditions().stream()
                .filter(c -> c.getType().equals("Progressing")).findFirst().orElseThrow().getMessage());
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.product()).isEqualTo("pg-c1");
            assertThat(f.reason()).contains("Pod pg-c1-prod/root-app", "runAsNonRoot != true");
        });
        assertThat(revisionOf("pg-c1")).as("held back").isEqualTo(BASELINE);
        assertThat(revisionOf("pg-s1")).as("later wave").isEqualTo(BASELINE);
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/pg-c1-prod")).as("writes to pg-c1-prod").isEmpty();
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/pg-c2-prod")).as("the clean one moved").isNotEmpty();
        assertThat(running.admin().namespaces().withName("pg-c1-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");

        resume();
        awaitComplete(target);
        assertThat(running.admin().namespaces().withName("pg-c1-prod").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    @Order(2)
    void underWarnTheViolatingProductMovesAndTheFindingStaysReported() {
        applyStandard("{}", false, "Warn");
        awaitComplete(BASELINE);
        applyStandard(RESTRICTED, false, "Warn");
        String target = awaitTarget(BASELINE);
        awaitComplete(target);
        ProductPreview preview = productNamed("pg-c1").getStatus().preview();
        assertThat(preview.revision()).isEqualTo(target);
        assertThat(preview.blocking()).isEqualTo(1);
        assertThat(preview.findings()).singleElement().satisfies(f -> assertThat(f.subject()).isEqualTo("Pod pg-c1-prod/root-app"));
        assertThat(standard().getStatus().preview().blockedProducts()).extracting(b -> b.product()).containsExactly("pg-c1");
    }

    @Test
    @Order(3)
    void aViolatingPodCreatedAfterThePreviewIsNamedWhenTheWaveStarts() {
        applyStandard("{}", false, "Halt");
        awaitComplete(BASELINE);
        applyStandard(RESTRICTED, true, "Halt");
        String target = awaitTarget(BASELINE);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ProductPlatform c2 = productNamed("pg-c2");
            return c2.getStatus().preview() != null && target.equals(c2.getStatus().preview().revision());
        });
        assertThat(productNamed("pg-c2").getStatus().preview().findings()).as("clean when previewed").isNull();
        pod("pg-c2-prod", "late-root", false);
        int mark = running.operator().writes().mark();

        applyStandard(RESTRICTED, false, "Halt");
        PlatformStandard halted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(PreviewGateIT::standard, s -> s.getStatus().rollout().phase() == RolloutPhase.Halted
                        && canary(s).failures() != null && canary(s).failures().stream().anyMatch(f -> f.product().equals("pg-c2")));
        System.out.printf("late pod: %s%n", canary(halted).failures());
        assertThat(canary(halted).failures()).filteredOn(f -> f.product().equals("pg-c2")).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("Pod pg-c2-prod/late-root"));
        assertThat(productNamed("pg-c2").getStatus().preview().findings()).extracting(f -> f.subject())
                .containsExactly("Pod pg-c2-prod/late-root");
        assertThat(revisionOf("pg-c2")).isEqualTo(BASELINE);
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/pg-c2-prod")).isEmpty();

        resume();
        awaitComplete(target);
    }

    @Test
    @Order(4)
    void anImmediateRolloutObeysTheImpactPolicyToo() {
        applyStandard("{}", false, "Halt");
        awaitComplete(BASELINE);
        int mark = running.operator().writes().mark();
        applyStandard(RESTRICTED, false, "Halt", "Immediate");
        String target = awaitTarget(BASELINE);
        await().atMost(Duration.ofSeconds(30)).until(() -> target.equals(revisionOf("pg-s1")));
        PlatformStandard halted = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(PreviewGateIT::standard, s -> s.getStatus().rollout().phase() == RolloutPhase.Halted
                        && s.getStatus().rollout().waves().get(0).failures().size() == 2);
        WaveStatus entry = halted.getStatus().rollout().waves().get(0);
        System.out.printf("immediate: %s%n", entry.failures());
        assertThat(entry.name()).isEqualTo("immediate");
        assertThat(entry.failures()).extracting(ProductFailure::product).containsExactlyInAnyOrder("pg-c1", "pg-c2");
        assertThat(revisionOf("pg-c1")).isEqualTo(BASELINE);
        assertThat(running.operator().writes().writesSince(mark, "/namespaces/pg-c1-prod")).isEmpty();

        resume();
        awaitComplete(target);
    }
}
