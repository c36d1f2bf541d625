package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftRecord;
import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.api.v1alpha1.OutstandingDrift;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift history: a repaired drift records when it was first seen and when it ended, and the difference is the repair
 * latency; an Audit drift is outstanding with the time it was first seen, keeps it across an operator restart, and
 * ends as fixed by someone else when a person puts the object back.
 */
class DriftHistoryIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(5));

    private static final String PRODUCT = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: %s
            spec:
              team: history-sre
              tier: %s
              mode: %s
              environments:
                - name: prod
            """;

    private static ProductPlatform get(String name) {
        return Products.named(running.admin(), name);
    }

    private static DriftRecord awaitRecord(String product, String object, java.util.function.Predicate<DriftRecord> match) {
        DriftRecord[] found = new DriftRecord[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            found[0] = get(product).getStatus().drift().recent().stream()
                    .filter(r -> r.object().equals(object) && match.test(r)).findFirst().orElse(null);
            assertThat(found[0]).as("record of %s", object).isNotNull();
        });
        return found[0];
    }

    private static double timerCount(String name, String area, String tier) {
        Timer timer = running.operator().meters().find(name).tags("area", area, "tier", tier).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aRepairedDriftRecordsFirstSeenAndResolvedTimesThatMeasureTheRepair() {
        Products.apply(running.admin(), PRODUCT.formatted("history", "standard", "Enforce"));
        TestOperator.awaitStatus(running.admin(), "history", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        String ns = "history-prod";
        String uid = running.admin().network().v1().networkPolicies().inNamespace(ns).withName("groundwork-default-deny")
                .get().getMetadata().getUid();
        double repairsBefore = timerCount("groundwork.drift.time.to.repair", "networking", "standard");

        running.admin().network().v1().networkPolicies().inNamespace(ns).withName("groundwork-default-deny").delete();
        Instant deleted = Instant.now();
        Instant[] back = new Instant[1];
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            NetworkPolicy policy = running.admin().network().v1().networkPolicies().inNamespace(ns)
                    .withName("groundwork-default-deny").get();
            back[0] = Instant.now();
            return policy != null && !policy.getMetadata().getUid().equals(uid);
        });
        long latency = Duration.between(deleted, back[0]).toMillis();

        DriftRecord record = awaitRecord("history", "NetworkPolicy " + ns + "/groundwork-default-deny",
                r -> r.resolvedTime() != null);
        long recorded = Duration.between(Instant.parse(record.time()), Instant.parse(record.resolvedTime())).toMillis();
        System.out.printf("drift history: repair latency measured %d ms, recorded resolvedTime - time %d ms (%s .. %s)%n",
                latency, recorded, record.time(), record.resolvedTime());
        assertThat(record.resolution()).isEqualTo(DriftResolution.Repaired);
        assertThat(record.action()).isEqualTo(DriftAction.Repaired);
        assertThat(record.time()).matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Math.abs(recorded - latency)).as("recorded %d ms vs measured %d ms", recorded, latency).isLessThanOrEqualTo(100);
        assertThat(get("history").getStatus().drift().outstanding()).isNull();
        assertThat(timerCount("groundwork.drift.time.to.repair", "networking", "standard")).isEqualTo(repairsBefore + 1);
    }

    @Test
    void anAuditDriftIsOutstandingSinceFirstSeenThroughARestartUntilSomeoneElseFixesIt() {
        String ns = "history-audit-prod";
        Products.apply(running.admin(), PRODUCT.formatted("history-audit", "critical", "Enforce"));
        TestOperator.awaitStatus(running.admin(), "history-audit", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Products.apply(running.admin(), PRODUCT.formatted("history-audit", "critical", "Audit"));
        TestOperator.awaitStatus(running.admin(), "history-audit", p -> assertThat(p.getStatus().observedGeneration()).isEqualTo(2L));
        String desired = running.admin().resourceQuotas().inNamespace(ns).withName("groundwork-storage").get().getSpec()
                .getHard().get("requests.storage").toString();

        assertThat(Kubectl.run("patch", "resourcequota", "groundwork-storage", "-n", ns, "--type=merge",
                "-p", "{\"spec\":{\"hard\":{\"requests.storage\":\"10Ti\"}}}").ok()).isTrue();
        String object = "ResourceQuota " + ns + "/groundwork-storage";
        ProductPlatform reported = TestOperator.awaitStatus(running.admin(), "history-audit", p ->
                assertThat(p.getStatus().drift().outstanding()).extracting(OutstandingDrift::object).containsExactly(object));
        OutstandingDrift outstanding = reported.getStatus().drift().outstanding().get(0);
        assertThat(outstanding.action()).isEqualTo(DriftAction.Reported);
        assertThat(outstanding.changedBy()).isEqualTo("kubectl-patch");
        long detected = reported.getStatus().drift().detectedTotal();

        // Resyncs every 5 s and a restart: the same episode, the same since, no new record, no status write.
        running.restart();
        await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(() -> true);
        ProductPlatform later = get("history-audit");
        assertThat(later.getStatus().drift().outstanding()).containsExactly(outstanding);
        assertThat(later.getStatus().drift().detectedTotal()).isEqualTo(detected);
        assertThat(later.getMetadata().getResourceVersion()).isEqualTo(reported.getMetadata().getResourceVersion());

        assertThat(Kubectl.run("patch", "resourcequota", "groundwork-storage", "-n", ns, "--type=merge",
                "-p", "{\"spec\":{\"hard\":{\"requests.storage\":\"" + desired + "\"}}}").ok()).isTrue();
        DriftRecord record = awaitRecord("history-audit", object, r -> r.resolvedTime() != null);
        System.out.printf("drift history: audit drift since %s resolved %s as %s%n", record.time(), record.resolvedTime(),
                record.resolution());
        assertThat(record.resolution()).isEqualTo(DriftResolution.FixedByOthers);
        assertThat(record.time()).isEqualTo(outstanding.since());
        ProductPlatform fixed = TestOperator.awaitStatus(running.admin(), "history-audit",
                p -> assertThat(Products.isTrue(p, "InSync")).isTrue());
        assertThat(fixed.getStatus().drift().outstanding()).isNull();
        assertThat(fixed.getStatus().drift().detectedTotal()).isEqualTo(detected);
        assertThat(fixed.getStatus().drift().repairedTotal()).isEqualTo(reported.getStatus().drift().repairedTotal());
        // The restarted operator's registry saw the episode end.
        assertThat(timerCount("groundwork.drift.time.in.drift", "storage", "critical")).isEqualTo(1.0);
    }
}
