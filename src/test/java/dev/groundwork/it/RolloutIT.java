package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 on the real API server: a change of the standard rolls out wave by wave over 12 products in 4 waves, each
 * wave gated on its products' health and soak; a change the cluster refuses, and one that breaks a workload, halt the
 * rollout in the canary wave with the later waves untouched (not one write to their namespaces); the documented
 * rollback and resume commands; strategy Immediate; a newer revision superseding one in progress. Soaks are seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutIT {
    private static final Duration SOAK = Duration.ofSeconds(3);
    private static final Map<String, List<String>> WAVES = new LinkedHashMap<>();

    static {
        WAVES.put("canary", List.of("ro-c1", "ro-c2", "ro-c3"));
        WAVES.put("sandbox", List.of("ro-s1", "ro-s2", "ro-s3"));
        WAVES.put("standard", List.of("ro-d1", "ro-d2", "ro-d3"));
        WAVES.put("critical", List.of("ro-k1", "ro-k2", "ro-k3"));
    }

    private static final List<String> PRODUCTS = WAVES.values().stream().flatMap(List::stream).toList();
    private static final List<String> LATER = PRODUCTS.stream().filter(p -> !WAVES.get("canary").contains(p)).toList();
    private static final String POLICY = "ro-site-policy";

    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(2));

    private static String product(String name) {
        String tier = name.startsWith("ro-c") || name.startsWith("ro-k") ? "critical"
                : name.startsWith("ro-s") ? "sandbox" : "standard";
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                  labels: %s
                spec:
                  team: %s
                  tier: %s
                  environments: [{name: prod}]
                """.formatted(name, name.startsWith("ro-c") ? "{groundwork.dev/canary: \"true\"}" : "{}", name, tier);
    }

    @BeforeAll
    static void products() {
        KubernetesClient admin = running.admin();
        Standards.createOperatorNamespace(admin);
        PRODUCTS.forEach(p -> Products.apply(admin, product(p)));
        applyStandard("{}", "Waves", "8s");
        awaitComplete(StandardLoader.defaults().revision());
    }

    @AfterAll
    static void cleanUp() {
        KubernetesClient admin = running.admin();
        admin.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(POLICY).delete();
        admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(POLICY).delete();
        Products.deleteAndAwaitGone(admin, PRODUCTS);
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(30));
    }

    /** The standard with this content (YAML under spec, besides rollout) and the test's waves. */
    private static void applyStandard(String content, String strategy, String soak) {
        String body = content.equals("{}") ? "" : content.stripTrailing() + "\n";
        Kubectl.Result result = Kubectl.applyStandard(body + """
                rollout:
                  strategy: %s
                  progressDeadline: 8s
                  maxFailures: 0
                  waves:
                    - {name: canary, selector: {matchLabels: {groundwork.dev/canary: "true"}}, soak: %s}
                    - {name: sandbox, tiers: [sandbox], soak: %s}
                    - {name: standard, tiers: [standard], soak: %s}
                    - {name: critical, tiers: [critical]}
                """.formatted(strategy, soak, soak, soak));
        assertThat(result.ok()).as(result.output()).isTrue();
    }

    private static String criticalDefaultTotal(String quantity) {
        return "tiers:\n  critical:\n    storage: {defaultTotal: " + quantity + "}";
    }

    private static PlatformStandard standard() {
        return Standards.current(running.admin());
    }

    private static String revisionOf(String product) {
        ProductPlatform p = running.admin().resources(ProductPlatform.class).withName(product).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().standardRevision();
    }

    private static boolean healthyOn(ProductPlatform p, String revision) {
        return p.getStatus() != null && revision.equals(p.getStatus().standardRevision())
                && Products.isTrue(p, "Ready") && Products.isTrue(p, "InSync");
    }

    private static String awaitNewTarget(String before) {
        return await().atMost(Duration.ofSeconds(20)).until(RolloutIT::standard, s -> s.getStatus() != null
                && s.getStatus().revision() != null && !s.getStatus().revision().equals(before)).getStatus().revision();
    }

    private static PlatformStandard awaitComplete(String revision) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(RolloutIT::standard,
                s -> s.getStatus() != null && revision.equals(s.getStatus().revision())
                        && RolloutPhase.Complete == s.getStatus().rollout().phase()
                        && PRODUCTS.stream().allMatch(p -> revision.equals(revisionOf(p))));
    }

    private static PlatformStandard awaitHalted() {
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(RolloutIT::standard,
                s -> s.getStatus() != null && RolloutPhase.Halted == s.getStatus().rollout().phase());
    }

    private static Condition condition(PlatformStandard standard, String type) {
        return standard.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static WaveStatus wave(PlatformStandard standard, String name) {
        return standard.getStatus().rollout().waves().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Event> events(String reason) {
        return running.admin().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "PlatformStandard".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
                .toList();
    }

    private static List<String> writesToLaterWaves(int mark) {
        return LATER.stream().flatMap(p -> running.operator().writes().writesSince(mark, "/namespaces/" + p + "-prod").stream())
                .toList();
    }

    @Test
    @Order(1)
    void aChangeMovesWaveByWaveEachGatedOnItsProductsHealthAndSoak() {
        String before = standard().getStatus().revision();
        Map<String, Instant> moved = new ConcurrentHashMap<>();
        Map<String, Instant> healthy = new ConcurrentHashMap<>();
        applyStandard(criticalDefaultTotal("1100Gi"), "Waves", SOAK.toSeconds() + "s");
        String target = awaitNewTarget(before);

        // Watch every product as the rollout goes: when it moved, and when it was first healthy on the target.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Instant now = Instant.now();
            for (ProductPlatform p : running.admin().resources(ProductPlatform.class).list().getItems()) {
                String name = p.getMetadata().getName();
                if (!PRODUCTS.contains(name) || p.getStatus() == null) {
                    continue;
                }
                if (target.equals(p.getStatus().standardRevision())) {
                    moved.putIfAbsent(name, now);
                }
                if (healthyOn(p, target)) {
                    healthy.putIfAbsent(name, now);
                }
            }
            PlatformStandard s = standard();
            return healthy.size() == PRODUCTS.size() && RolloutPhase.Complete == s.getStatus().rollout().phase();
        });

        List<String> names = new ArrayList<>(WAVES.keySet());
        for (int i = 1; i < names.size(); i++) {
            Instant earlierHealthy = WAVES.get(names.get(i - 1)).stream().map(healthy::get).max(Instant::compareTo).orElseThrow();
            Instant laterMoved = WAVES.get(names.get(i)).stream().map(moved::get).min(Instant::compareTo).orElseThrow();
            System.out.printf("rollout: wave %s's first move came %d ms after the last product of %s was healthy (soak %s)%n",
                    names.get(i), Duration.between(earlierHealthy, laterMoved).toMillis(), names.get(i - 1), SOAK);
            assertThat(laterMoved).as("wave %s moved after every product of %s was healthy", names.get(i), names.get(i - 1))
                    .isAfter(earlierHealthy);
            // Status times are whole seconds: the soak may end up to a second before its full length by our clock.
            assertThat(Duration.between(earlierHealthy, laterMoved)).as("and after its soak")
                    .isGreaterThanOrEqualTo(SOAK.minusSeconds(1));
        }
        PlatformStandard done = standard();
        RolloutStatus rollout = done.getStatus().rollout();
        assertThat(rollout.targetRevision()).isEqualTo(target);
        assertThat(rollout.previousRevision()).isEqualTo(before);
        assertThat(rollout.waves()).extracting(WaveStatus::name).containsExactly("canary", "sandbox", "standard", "critical");
        assertThat(rollout.waves()).allSatisfy(w -> {
            assertThat(w.finishedAt()).isNotNull();
            assertThat(w.failed()).isZero();
            assertThat(w.updated()).isEqualTo(w.products());
        });
        assertThat(wave(done, "canary").products()).isGreaterThanOrEqualTo(3);
        assertThat(condition(done, "Progressing").getReason()).isEqualTo("RolloutComplete");
        assertThat(events("WaveStarted")).extracting(Event::getMessage).anyMatch(m -> m.startsWith("Wave canary started"));
        assertThat(events("WaveDone")).extracting(Event::getMessage).anyMatch(m -> m.startsWith("Wave standard is healthy"));
        assertThat(events("RolloutComplete")).extracting(Event::getMessage).anyMatch(m -> m.contains(target));
        Kubectl.Result columns = Kubectl.run("get", "pstd", "default");
        assertThat(columns.output()).contains("ROLLOUT", "WAVE", "UPDATED", "Complete");
        var meters = running.operator().meters();
        assertThat(meters.get("groundwork.rollout.wave.duration").tag("wave", "sandbox").timer().count()).isPositive();
        assertThat(meters.get("groundwork.rollout.phase").tag("phase", "Complete").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("groundwork.rollout.phase").tag("phase", "Progressing").gauge().value()).isZero();
    }

    @Test
    @Order(2)
    void aChangeTheClusterRefusesHaltsTheRolloutInTheCanaryWaveAndLeavesLaterWavesUntouched() {
        KubernetesClient admin = running.admin();
        // The site's own admission rule, as a webhook would be: no ResourceQuota of 1200Gi.
        Kubectl.Result policy = Kubectl.apply("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [resourcequotas]}
                  validations:
                    - expression: "!has(object.spec.hard) || !('requests.storage' in object.spec.hard) || object.spec.hard['requests.storage'] != '1200Gi'"
                      message: "site policy: quotas of 1200Gi are not allowed"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                """.formatted(POLICY));
        assertThat(policy.ok()).as(policy.output()).isTrue();
        // The API server enforces a new policy a moment after it is created: wait until it refuses a dry run.
        ResourceQuota probe = new ResourceQuotaBuilder().withNewMetadata().withName("ro-probe").withNamespace("default").endMetadata()
                .withNewSpec().addToHard("requests.storage", new Quantity("1200Gi")).endSpec().build();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                admin.resourceQuotas().inNamespace("default").resource(probe).dryRun().create();
                return false;
            } catch (KubernetesClientException e) {
                return e.getMessage().contains("site policy");
            }
        });
        String before = standard().getStatus().revision();
        int mark = running.operator().writes().mark();
        Instant changed = Instant.now();

        applyStandard(criticalDefaultTotal("1200Gi"), "Waves", SOAK.toSeconds() + "s");
        String target = awaitNewTarget(before);
        PlatformStandard halted = awaitHalted();

        assertThat(Duration.between(changed, Instant.now())).as("within the progress deadline and a little")
                .isLessThan(Duration.ofSeconds(20));
        RolloutStatus rollout = halted.getStatus().rollout();
        assertThat(rollout.wave()).isEqualTo("canary");
        assertThat(rollout.waves()).extracting(WaveStatus::name).containsExactly("canary");
        assertThat(wave(halted, "canary").failures()).extracting(f -> f.product()).containsAll(WAVES.get("canary"));
        assertThat(wave(halted, "canary").failures()).allSatisfy(f -> assertThat(f.reason()).contains("1200Gi"));
        Condition progressing = condition(halted, "Progressing");
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getReason()).isEqualTo("RolloutHalted");
        assertThat(progressing.getMessage()).contains("ro-c1", "ro-c2", "ro-c3", "site policy",
                "kubectl annotate pstd default groundwork.dev/rollout=resume", "groundwork.dev/rollout=rollback");
        assertThat(running.operator().meters().get("groundwork.rollout.halts").tag("wave", "canary").counter().count()).isPositive();
        assertThat(running.operator().meters().get("groundwork.rollout.phase").tag("phase", "Halted").gauge().value()).isEqualTo(1.0);
        assertThat(events("RolloutHalted")).extracting(Event::getType, Event::getMessage)
                .anyMatch(t -> "Warning".equals(t.toList().get(0)) && t.toList().get(1).toString().contains("ro-c1"));

        // Later waves stay where they were, and nothing was written to their namespaces.
        assertThat(LATER).allSatisfy(p -> assertThat(revisionOf(p)).isEqualTo(before));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> RolloutPhase.Halted == standard().getStatus().rollout().phase());
        assertThat(writesToLaterWaves(mark)).isEmpty();
        assertThat(LATER).allSatisfy(p -> assertThat(revisionOf(p)).isEqualTo(before));
        assertThat(target).isNotEqualTo(before);
    }

    @Test
    @Order(3)
    void theRollbackCommandReturnsOnlyTheCanaryProductsAndCompletesOnTheOldContent() {
        String old = standard().getStatus().rollout().previousRevision();
        int mark = running.operator().writes().mark();

        Kubectl.Result rollback = Kubectl.run("annotate", "pstd", "default", "groundwork.dev/rollout=rollback");
        assertThat(rollback.ok()).as(rollback.output()).isTrue();

        PlatformStandard back = awaitComplete(old);
        assertThat(back.getSpec().tiers().critical().storage().defaultTotal()).as("the old content").isEqualTo("1100Gi");
        assertThat(back.getMetadata().getAnnotations()).doesNotContainKey("groundwork.dev/rollout");
        assertThat(condition(back, "Progressing").getReason()).isEqualTo("RolloutComplete");
        assertThat(writesToLaterWaves(mark)).as("no other product is written").isEmpty();
        assertThat(events("RolledBack")).extracting(Event::getMessage).anyMatch(m -> m.contains("to the content of revision " + old));
    }

    @Test
    @Order(4)
    void aChangeThatBreaksAWorkloadHaltsTheCanaryWaveAndResumeGoesOn() {
        KubernetesClient admin = running.admin();
        admin.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(POLICY).delete();
        admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(POLICY).delete();
        // Playing the Deployment controller and kubelet, which this API server has not: the test writes the status.
        Deployment web = admin.apps().deployments().inNamespace("ro-c1-prod").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        setAvailable(web, true);
        String before = standard().getStatus().revision();
        // Times are whole seconds: a workload created in the second its wave starts counts as new, not as lost.
        Instant created = Instant.parse(web.getMetadata().getCreationTimestamp());
        await().until(() -> Instant.now().isAfter(created.plusSeconds(1)));

        applyStandard(criticalDefaultTotal("1300Gi"), "Waves", "6s");
        String target = awaitNewTarget(before);
        await().atMost(Duration.ofSeconds(20)).until(() -> target.equals(revisionOf("ro-c1")));
        setAvailable(admin.apps().deployments().inNamespace("ro-c1-prod").withName("web").get(), false);

        PlatformStandard halted = awaitHalted();
        assertThat(halted.getStatus().rollout().wave()).isEqualTo("canary");
        assertThat(wave(halted, "canary").failures()).singleElement().satisfies(f -> {
            assertThat(f.product()).isEqualTo("ro-c1");
            assertThat(f.reason()).isEqualTo("lost availability after the change: ro-c1-prod/Deployment/web");
        });
        assertThat(LATER).allSatisfy(p -> assertThat(revisionOf(p)).isEqualTo(before));

        Kubectl.Result resume = Kubectl.run("annotate", "pstd", "default", "groundwork.dev/rollout=resume");
        assertThat(resume.ok()).as(resume.output()).isTrue();
        PlatformStandard done = awaitComplete(target);
        assertThat(wave(done, "canary").failures()).as("accepted by the resume").singleElement();
        assertThat(events("RolloutResumed")).extracting(Event::getMessage).anyMatch(m -> m.contains("accepting ro-c1"));
    }

    private static void setAvailable(Deployment deployment, boolean available) {
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(1).withUpdatedReplicas(1)
                .withReadyReplicas(available ? 1 : 0).withAvailableReplicas(available ? 1 : 0)
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus(available ? "True" : "False")
                        .withReason(available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").build())
                .build());
        running.admin().apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment).updateStatus();
    }

    @Test
    @Order(5)
    void immediateMovesEveryProductAtOnce() {
        String before = standard().getStatus().revision();
        // A command that does nothing says so, and goes.
        assertThat(Kubectl.run("annotate", "pstd", "default", "groundwork.dev/rollout=Resume").ok()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> standard().getMetadata().getAnnotations().get("groundwork.dev/rollout") == null);
        await().atMost(Duration.ofSeconds(5)).until(() -> events("RolloutCommandIgnored").stream()
                .anyMatch(e -> e.getMessage().equals("Unknown rollout command groundwork.dev/rollout=Resume: use resume or rollback.")));

        applyStandard(criticalDefaultTotal("1400Gi"), "Immediate", "1h");
        String target = awaitNewTarget(before);
        PlatformStandard done = awaitComplete(target);
        assertThat(done.getStatus().rollout().waves()).as("no waves with Immediate").isNull();
        assertThat(done.getStatus().rollout().previousRevision()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void aNewerRevisionSupersedesTheOneInProgressFromTheFirstWave() {
        String before = standard().getStatus().revision();
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        applyStandard(criticalDefaultTotal("1500Gi"), "Waves", "30s");
        String superseded = awaitNewTarget(before);
        await().atMost(Duration.ofSeconds(20)).until(() -> WAVES.get("canary").stream().allMatch(p -> superseded.equals(revisionOf(p))));

        applyStandard(criticalDefaultTotal("1600Gi"), "Waves", "1s");
        String target = awaitNewTarget(superseded);
        PlatformStandard restarted = standard();
        assertThat(restarted.getStatus().rollout().targetRevision()).isEqualTo(target);
        assertThat(restarted.getStatus().rollout().waves()).extracting(WaveStatus::name).containsExactly("canary");
        assertThat(restarted.getStatus().rollout().previousRevision()).as("the last revision every product reached")
                .isEqualTo(before);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            PRODUCTS.forEach(p -> seen.computeIfAbsent(p, k -> new ArrayList<>()).add(revisionOf(p)));
            return RolloutPhase.Complete == standard().getStatus().rollout().phase()
                    && target.equals(standard().getStatus().revision());
        });
        Predicate<String> neverOnSuperseded = p -> !seen.get(p).contains(superseded);
        assertThat(LATER).as("later waves went straight to the newer revision").allMatch(neverOnSuperseded);
        assertThat(PRODUCTS).allSatisfy(p -> assertThat(revisionOf(p)).isEqualTo(target));
        assertThat(seen.values().stream().map(l -> l.get(l.size() - 1)).collect(Collectors.toSet())).containsOnly(target);
    }
}
