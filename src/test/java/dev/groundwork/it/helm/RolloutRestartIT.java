package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.WaveStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Helm;
import dev.groundwork.it.Products;
import dev.groundwork.it.Standards;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11, acceptance 5: the operator (the packaged one, run as the chart's pod) is killed with SIGKILL in the middle
 * of the second wave and started again. The rollout's state is in the standard's status and its revisions in
 * ControllerRevisions, so the new process resumes exactly there: the first wave is not redone (not started again, its
 * products' objects untouched), the second completes its soak, the third starts only after it, no product is skipped.
 */
class RolloutRestartIT {
    private static final String NAMESPACE = "gw-roll-system";
    private static final List<String> CANARY = List.of("rr-c1", "rr-c2");
    private static final List<String> SANDBOX = List.of("rr-s1", "rr-s2", "rr-s3");
    private static final List<String> CRITICAL = List.of("rr-k1", "rr-k2");
    private static final List<String> PRODUCTS = new ArrayList<>();

    static {
        PRODUCTS.addAll(CANARY);
        PRODUCTS.addAll(SANDBOX);
        PRODUCTS.addAll(CRITICAL);
    }

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ServiceAccountAccess serviceAccount;
    private static final List<ChartOperator> pods = new ArrayList<>();

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        awaitNoStandard();
        release = ChartRelease.install("gw-roll", NAMESPACE, """
                # Cluster-wide policies are other classes' business.
                storagePolicy: {enabled: false}
                namespaceIdentityPolicy: {enabled: false}
                accessPolicy: {enabled: false}
                # One pod, restarted: no Lease to wait out.
                leaderElection: {enabled: false}
                standard:
                  rollout:
                    strategy: Waves
                    progressDeadline: 60s
                    waves:
                      - {name: canary, selector: {matchLabels: {groundwork.dev/canary: "true"}}, soak: 2s}
                      - {name: sandbox, tiers: [sandbox], soak: 12s}
                      - {name: critical, tiers: [critical, standard]}
                """);
        serviceAccount = ServiceAccountAccess.of(admin, NAMESPACE, release.fullname());
        start("aaaaa");
        for (String name : PRODUCTS) {
            String tier = name.startsWith("rr-s") ? "sandbox" : "critical";
            Products.apply(admin, """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: %s
                      labels: %s
                    spec:
                      team: %s
                      tier: %s
                      environments: [{name: prod}]
                    """.formatted(name, CANARY.contains(name) ? "{groundwork.dev/canary: \"true\"}" : "{}", name, tier));
        }
        String builtIn = StandardLoader.defaults().revision();
        await().atMost(Duration.ofSeconds(60)).until(RolloutRestartIT::standard, s -> s.getStatus() != null
                && builtIn.equals(s.getStatus().revision()) && RolloutPhase.Complete == s.getStatus().rollout().phase());
        await().atMost(Duration.ofSeconds(90)).until(() -> PRODUCTS.stream().allMatch(p -> {
            ProductPlatform product = admin.resources(ProductPlatform.class).withName(p).get();
            return product != null && product.getStatus() != null && builtIn.equals(product.getStatus().standardRevision())
                    && Products.isTrue(product, "Ready");
        }));
    }

    private static ChartOperator start(String suffix) {
        ChartOperator pod = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-7d4f1-" + suffix,
                serviceAccount).awaitStarted(Duration.ofSeconds(90));
        pods.add(pod);
        return pod;
    }

    @AfterAll
    static void uninstall() throws IOException {
        try {
            if (admin != null) {
                Products.deleteAndAwaitGone(admin, PRODUCTS);
            }
        } finally {
            StringBuilder logs = new StringBuilder();
            pods.forEach(p -> logs.append(p.log()).append("\n----\n"));
            Files.writeString(Path.of("target", "RolloutRestartIT-operator.log"), logs);
            pods.forEach(ChartOperator::close);
            if (release != null) {
                release.close();
            }
            awaitNoStandard();
        }
    }

    private static void awaitNoStandard() {
        if (admin.apiextensions().v1().customResourceDefinitions().withName("platformstandards.groundwork.dev").get() == null) {
            return;
        }
        Standards.deleteAndAwaitGone(admin, Duration.ofSeconds(60));
    }

    private static PlatformStandard standard() {
        return Standards.current(admin);
    }

    private static String revisionOf(String product) {
        ProductPlatform p = admin.resources(ProductPlatform.class).withName(product).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().standardRevision();
    }

    private static WaveStatus wave(PlatformStandard standard, String name) {
        return standard.getStatus().rollout().waves().stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
    }

    /** resourceVersion of the canary products' ResourceQuotas, which the change rewrites. */
    private static Map<String, String> canaryQuotas() {
        Map<String, String> versions = new TreeMap<>();
        for (String product : CANARY) {
            for (ResourceQuota q : admin.resourceQuotas().inNamespace(product + "-prod").list().getItems()) {
                versions.put(product + "/" + q.getMetadata().getName(), q.getMetadata().getResourceVersion());
            }
        }
        return versions;
    }

    @Test
    void aRolloutKilledInTheSecondWaveResumesExactlyWhereItWas() {
        String before = standard().getStatus().revision();
        Map<String, Instant> moved = new ConcurrentHashMap<>();
        Helm.ok(release.upgrade("standard: {tiers: {critical: {storage: {defaultTotal: 1100Gi}}}}"));
        String target = await().atMost(Duration.ofSeconds(30)).until(RolloutRestartIT::standard,
                s -> s.getStatus() != null && !before.equals(s.getStatus().revision())).getStatus().revision();

        // Into the second wave's soak: every sandbox product moved, the wave not finished.
        PlatformStandard inWave2 = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            record(target, moved);
            return standard();
        }, s -> "sandbox".equals(s.getStatus().rollout().wave()) && SANDBOX.stream().allMatch(moved::containsKey));
        WaveStatus canaryBefore = wave(inWave2, "canary");
        WaveStatus sandboxBefore = wave(inWave2, "sandbox");
        assertThat(canaryBefore.finishedAt()).isNotNull();
        assertThat(sandboxBefore.finishedAt()).isNull();
        assertThat(CRITICAL).noneMatch(moved::containsKey);
        Map<String, String> canaryQuotas = canaryQuotas();

        ChartOperator first = pods.get(0);
        first.process().toHandle().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.process().isAlive());
        Instant killed = Instant.now();
        start("bbbbb");

        PlatformStandard done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            record(target, moved);
            return standard();
        }, s -> RolloutPhase.Complete == s.getStatus().rollout().phase() && PRODUCTS.stream().allMatch(moved::containsKey));

        assertThat(wave(done, "canary")).as("wave 1 not redone").isEqualTo(canaryBefore);
        assertThat(canaryQuotas()).as("nor its products rewritten").isEqualTo(canaryQuotas);
        String uid = done.getMetadata().getUid();
        List<Event> started = admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> uid.equals(e.getInvolvedObject().getUid()) && "WaveStarted".equals(e.getReason())).toList();
        assertThat(started).extracting(Event::getMessage).filteredOn(m -> m.startsWith("Wave canary")).hasSize(1);
        assertThat(started).extracting(Event::getMessage).filteredOn(m -> m.startsWith("Wave sandbox")).hasSize(1);

        WaveStatus sandbox = wave(done, "sandbox");
        assertThat(sandbox.startedAt()).as("wave 2 resumed, not restarted").isEqualTo(sandboxBefore.startedAt());
        assertThat(Instant.parse(sandbox.finishedAt())).isAfterOrEqualTo(Instant.parse(sandbox.soakUntil()));
        Instant sandboxDone = Instant.parse(sandbox.finishedAt());
        assertThat(CRITICAL).allSatisfy(p -> assertThat(moved.get(p)).as("wave 3 after wave 2, %s", p)
                .isAfterOrEqualTo(sandboxDone).isAfter(killed));
        assertThat(PRODUCTS).as("no product skipped").allSatisfy(p -> assertThat(revisionOf(p)).isEqualTo(target));
        assertThat(done.getStatus().rollout().waves()).allSatisfy(w -> assertThat(w.failed()).isZero());
    }

    private static void record(String target, Map<String, Instant> moved) {
        Instant now = Instant.now();
        for (String p : PRODUCTS) {
            if (target.equals(revisionOf(p))) {
                moved.putIfAbsent(p, now);
            }
        }
    }
}
