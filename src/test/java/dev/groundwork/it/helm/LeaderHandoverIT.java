package dev.groundwork.it.helm;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, acceptance 4: a leader given SIGTERM ends within 10 s and releases its Lease, so the standby repairs a
 * deleted object within 5 s of the signal; a leader killed with SIGKILL is replaced once its Lease expires, so the
 * repair comes within the lease duration plus 5 s. Two pods of the chart's Deployment run as processes of the
 * packaged operator (see {@link ChartOperator}) with the chart's ServiceAccount token and its Lease settings.
 * Both measured times are printed. And SPEC §5: a leader that sees its Lease taken (as after a partition longer than
 * the renew deadline) ends its process, so that two leaders never write.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderHandoverIT {
    private static final String NAMESPACE = "gw-handover-system";
    private static final String PRODUCT = "handover";
    private static final String PRODUCT_NAMESPACE = "handover-dev";
    private static final String POLICY = "groundwork-default-deny";
    private static final String LEASE = "groundwork-leader";
    /** The operator's lease duration (application.properties, groundwork.leader-election.lease-duration). */
    private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

    private static KubernetesClient admin;
    private static ChartRelease release;
    private static ServiceAccountAccess serviceAccount;
    private static final List<ChartOperator> pods = new ArrayList<>();

    @BeforeAll
    static void install() {
        admin = ApiServer.client();
        release = ChartRelease.install("gw-handover", NAMESPACE, """
                replicas: 2
                storagePolicy:
                  enabled: false
                """);
        serviceAccount = ServiceAccountAccess.of(admin, NAMESPACE, release.fullname());
        start("aaaaa");
        start("bbbbb");
        pods.forEach(p -> p.awaitStarted(Duration.ofSeconds(90)));
        Products.apply(admin, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: handover
                spec:
                  team: handover-sre
                  tier: standard
                  environments:
                    - name: dev
                """);
        TestOperator.awaitStatus(admin, PRODUCT, p -> assertThat(Products.isTrue(p, "Ready")).as("%s\n%s", p.getStatus(), logs()).isTrue());
    }

    private static ChartOperator start(String suffix) {
        ChartOperator pod = ChartOperator.start(admin, NAMESPACE, release.fullname(), release.fullname() + "-6f9b4-" + suffix, serviceAccount);
        pods.add(pod);
        return pod;
    }

    @AfterAll
    static void uninstall() {
        try {
            if (admin != null) {
                // Deleted while an operator runs, so its finalizer (Retain) lets it go.
                admin.resources(ProductPlatform.class).withName(PRODUCT).delete();
                admin.resources(ProductPlatform.class).withName(PRODUCT).waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
            }
        } finally {
            pods.forEach(ChartOperator::close);
            if (release != null) {
                release.close();
            }
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Test
    @Order(1)
    void sigtermReleasesTheLeaseAndTheStandbyRepairsWithinFiveSeconds() {
        ChartOperator leader = awaitLeader();
        ChartOperator standby = pods.stream().filter(p -> p != leader && p.isAlive()).findFirst().orElseThrow();

        long signalled = System.nanoTime();
        CompletableFuture<Long> exit = leader.process().onExit().thenApply(p -> elapsedMillis(signalled));
        // Through the ProcessHandle: Process.destroy() would also close the pipe the operator's log is read from.
        leader.process().toHandle().destroy();
        // The Lease changes hands only after the old leader stopped reconciling: delete then, so only the new one can repair.
        long handedOver = waitUntil(() -> standby.podName().equals(holder()), signalled, Duration.ofSeconds(10));
        assertThat(handedOver).as("Lease holder after SIGTERM: %s\n%s", holder(), leader.log()).isGreaterThanOrEqualTo(0);
        String deletedUid = deletePolicy();
        long repaired = waitUntil(() -> repairedAfter(deletedUid), signalled, Duration.ofSeconds(30));
        long exited = exitMillis(exit, Duration.ofSeconds(30));

        System.out.printf("LeaderHandoverIT: SIGTERM to the leader: it exited after %d ms, the standby held the Lease after %d ms "
                + "and re-created the deleted %s %d ms after the signal%n", exited, handedOver, POLICY, repaired);
        assertThat(exited).as("the leader exits within 10 s of SIGTERM:\n%s", leader.log()).isBetween(0L, 10_000L);
        assertThat(repaired).as("repaired within 5 s of SIGTERM:\n%s", standby.log()).isBetween(0L, 5_000L);
        // Its output is read by another thread: the last lines may arrive a moment after the exit.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(leader.log())
                .contains("released the Lease", "Stopped leading, configured not to exit", "stopped in")
                .doesNotContain("Stopped leading for identity"));
        leader.logLines().stream().filter(l -> l.contains("(Shutdown thread)")).forEach(l -> System.out.println("LeaderHandoverIT: old leader: " + l));
    }

    @Test
    @Order(2)
    void sigkillHandsOverOnceTheLeaseExpires() {
        ChartOperator fresh = start("ccccc").awaitStarted(Duration.ofSeconds(90));
        ChartOperator leader = awaitLeader();
        assertThat(leader).isNotSameAs(fresh);

        long killed = System.nanoTime();
        CompletableFuture<Long> exit = leader.process().onExit().thenApply(p -> elapsedMillis(killed));
        leader.process().toHandle().destroyForcibly();
        long exited = exitMillis(exit, Duration.ofSeconds(10));
        String deletedUid = deletePolicy();
        long[] times = whenTrue(killed, LEASE_DURATION.plusSeconds(30), () -> repairedAfter(deletedUid), () -> fresh.podName().equals(holder()));
        long repaired = times[0];
        long handedOver = times[1];

        System.out.printf("LeaderHandoverIT: SIGKILL to the leader: it exited after %d ms, the standby held the Lease after %d ms "
                + "and re-created the deleted %s %d ms after the signal (lease duration %d s)%n",
                exited, handedOver, POLICY, repaired, LEASE_DURATION.toSeconds());
        assertThat(repaired).as("repaired within the lease duration plus 5 s of SIGKILL:\n%s", fresh.log())
                .isBetween(0L, LEASE_DURATION.plusSeconds(5).toMillis());
        assertThat(fresh.isAlive()).isTrue();
    }

    @Test
    @Order(3)
    void losingTheLeaseEndsTheProcess() {
        ChartOperator leader = awaitLeader();
        long stolen = System.nanoTime();
        CompletableFuture<Long> exited = leader.process().onExit().thenApply(p -> elapsedMillis(stolen));
        // Another holder with a fresh renewal, as after a partition that outlasted the renew deadline.
        admin.leases().inNamespace(NAMESPACE).withName(LEASE).edit(l -> {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            l.getSpec().setHolderIdentity("intruder");
            l.getSpec().setAcquireTime(now);
            l.getSpec().setRenewTime(now);
            return l;
        });
        long after = exitMillis(exited, Duration.ofSeconds(30));
        System.out.printf("LeaderHandoverIT: Lease taken away from the leader: it exited after %d ms with %s%n", after,
                leader.isAlive() ? "-" : leader.process().exitValue());
        assertThat(after).as("the leader exits once it sees the Lease lost:\n%s", leader.log()).isBetween(0L, 20_000L);
        assertThat(leader.process().exitValue()).isNotZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(leader.log()).contains("lost the Lease"));

        // A replica for the clean-up (the product's finalizer), leading at once once the intruder's Lease is cleared.
        admin.leases().inNamespace(NAMESPACE).withName(LEASE).edit(l -> {
            l.getSpec().setHolderIdentity(null);
            return l;
        });
        start("ddddd").awaitStarted(Duration.ofSeconds(90));
        awaitLeader();
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** When the process ended, in milliseconds after the signal, or -1 if it did not within the timeout. */
    private static long exitMillis(CompletableFuture<Long> exit, Duration timeout) {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChartOperator awaitLeader() {
        long start = System.nanoTime();
        waitUntil(() -> pods.stream().anyMatch(p -> p.isAlive() && p.podName().equals(holder())), start, Duration.ofSeconds(60));
        String holder = holder();
        return pods.stream().filter(p -> p.podName().equals(holder)).findFirst()
                .orElseThrow(() -> new AssertionError("no running pod holds the Lease: " + holder + "\n" + logs()));
    }

    private static String holder() {
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** Deletes the product's default-deny policy; returns the uid it had. */
    private static String deletePolicy() {
        NetworkPolicy policy = admin.network().v1().networkPolicies().inNamespace(PRODUCT_NAMESPACE).withName(POLICY).get();
        assertThat(policy).as("%s/%s", PRODUCT_NAMESPACE, POLICY).isNotNull();
        admin.network().v1().networkPolicies().inNamespace(PRODUCT_NAMESPACE).withName(POLICY).delete();
        return policy.getMetadata().getUid();
    }

    private static boolean repairedAfter(String deletedUid) {
        NetworkPolicy policy = admin.network().v1().networkPolicies().inNamespace(PRODUCT_NAMESPACE).withName(POLICY).get();
        return policy != null && !deletedUid.equals(policy.getMetadata().getUid());
    }

    /** Polls every 50 ms; returns the milliseconds from {@code since} until the condition held, or -1 on timeout. */
    private static long waitUntil(BooleanSupplier condition, long since, Duration timeout) {
        return whenTrue(since, timeout, condition)[0];
    }

    /**
     * Polls the conditions together every 50 ms until all have held once; returns for each the milliseconds from
     * {@code since} until it first held, or -1 when it did not within the timeout.
     */
    private static long[] whenTrue(long since, Duration timeout, BooleanSupplier... conditions) {
        long[] times = new long[conditions.length];
        java.util.Arrays.fill(times, -1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && java.util.Arrays.stream(times).anyMatch(t -> t < 0)) {
            for (int i = 0; i < conditions.length; i++) {
                try {
                    if (times[i] < 0 && conditions[i].getAsBoolean()) {
                        times[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
                    }
                } catch (RuntimeException e) {
                    // the API server answered with an error: try again
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return times;
    }

    private static String logs() {
        StringBuilder all = new StringBuilder();
        for (ChartOperator pod : pods) {
            all.append("--- ").append(pod.podName()).append('\n').append(pod.log()).append('\n');
        }
        return all.toString();
    }
}
