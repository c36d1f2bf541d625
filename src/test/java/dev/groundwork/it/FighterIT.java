package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A writer rewriting one owned field every 100 ms for 60 s gets a bounded, backed-off answer, the status names
 * it, and another product's drift is still repaired promptly meanwhile.
 */
class FighterIT {
    /** Repairs at 0, 1, 3, 7, 15, 31 s of exponential backoff from 1 s; one spare for timing at the edges. */
    static final int WRITE_BOUND = 8;
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();

    @BeforeAll
    static void start() {
        for (String name : new String[]{"fight", "calm"}) {
            Products.apply(running.admin(), """
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: %s
                    spec:
                      team: fight-club
                      tier: critical
                      environments:
                        - name: prod
                    """.formatted(name));
            TestOperator.awaitStatus(running.admin(), name, p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        }
    }

    /** The fight leaves backed-off repairs due: deleted here, while this operator runs, so no later class meets them. */
    @AfterAll
    static void cleanUp() {
        Products.deleteAndAwaitGone(running.admin(), List.of("fight", "calm"));
    }


    @Test
    void aFighterGetsBoundedRepairsAndIsNamed() throws Exception {
        Config config = ApiServer.config();
        config.setUserAgent("fighter/1.0");
        int mark = running.operator().writes().mark();
        Set<String> inSyncMessages = ConcurrentHashMap.newKeySet();
        AtomicInteger fights = new AtomicInteger();
        long calmRepairMillis;
        try (KubernetesClient fighter = new KubernetesClientBuilder().withConfig(config).build()) {
            Instant end = Instant.now().plusSeconds(60);
            Instant calmDrift = Instant.now().plusSeconds(30);
            Long calmRepair = null;
            while (Instant.now().isBefore(end)) {
                fighter.network().v1().networkPolicies().inNamespace("fight-prod").withName("groundwork-default-deny")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"policyTypes\":[\"Ingress\"]}}");
                fights.incrementAndGet();
                ProductPlatform fight = running.admin().resources(ProductPlatform.class).withName("fight").get();
                Products.condition(fight, "InSync").ifPresent(c -> inSyncMessages.add(c.getReason() + ": " + c.getMessage()));
                if (calmRepair == null && Instant.now().isAfter(calmDrift)) {
                    calmRepair = measureRepair();
                }
                Thread.sleep(100);
            }
            calmRepairMillis = calmRepair;
        }
        var writes = running.operator().writes().writesSince(mark, "/namespaces/fight-prod/networkpolicies/groundwork-default-deny");
        System.out.printf("fighter wrote %d times in 60 s; the operator wrote the object %d times; calm repaired in %d ms%n",
                fights.get(), writes.size(), calmRepairMillis);
        assertThat(fights.get()).isGreaterThan(300);
        assertThat(writes).hasSizeLessThanOrEqualTo(WRITE_BOUND).hasSizeGreaterThanOrEqualTo(3);
        assertThat(inSyncMessages).anySatisfy(m -> assertThat(m).startsWith("RepairBackedOff: Repairs back off: fighter keeps "
                + "changing NetworkPolicy fight-prod/groundwork-default-deny (spec.policyTypes)"));
        assertThat(calmRepairMillis).isLessThan(5000);
        ProductPlatform fight = running.admin().resources(ProductPlatform.class).withName("fight").get();
        assertThat(fight.getStatus().drift().recent()).allSatisfy(r -> assertThat(r.changedBy()).isEqualTo("fighter"));

        // When the fight stops, the next repair comes at the latest after the longest backoff so far (32 s).
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(running.admin().network().v1().networkPolicies()
                .inNamespace("fight-prod").withName("groundwork-default-deny").get().getSpec().getPolicyTypes())
                .containsExactly("Ingress", "Egress"));
    }

    /** Deletes a policy of the other product and returns how long until it exists again. */
    private static long measureRepair() {
        Instant start = Instant.now();
        String uid = running.admin().network().v1().networkPolicies().inNamespace("calm-prod").withName("groundwork-allow-dns").get()
                .getMetadata().getUid();
        running.admin().network().v1().networkPolicies().inNamespace("calm-prod").withName("groundwork-allow-dns").delete();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            var p = running.admin().network().v1().networkPolicies().inNamespace("calm-prod").withName("groundwork-allow-dns").get();
            return p != null && !p.getMetadata().getUid().equals(uid);
        });
        return Duration.between(start, Instant.now()).toMillis();
    }
}
