package dev.groundwork.product;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespaceClaimsTest {
    private final NamespaceClaims claims = new NamespaceClaims(name -> null);
    /** Threads of its own: the common pool has a single thread on a 2-core machine. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void claimsOfOneNamespaceAreSerialised() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<NamespaceClaims.Claim> first = holdClaim("shop-prod", release);
        CompletableFuture<NamespaceClaims.Claim> second = CompletableFuture.supplyAsync(() ->
                claims.withClaim("shop-prod", "other", Optional.empty(), NamespaceClaims.Verdict::claim), threads);
        assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(NamespaceClaims.Claim.FREE);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(NamespaceClaims.Claim.FREE);
    }

    @Test
    void claimsOfDifferentNamespacesGoOnInParallel() throws Exception {
        String other = "ledger-prod";
        for (int i = 0; claims.lockOf(other) == claims.lockOf("shop-prod"); i++) {
            other = "ledger-" + i;
        }
        String namespace = other;
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<NamespaceClaims.Claim> first = holdClaim("shop-prod", release);
        assertThat(CompletableFuture.supplyAsync(() -> claims.withClaim(namespace, "ledger", Optional.empty(),
                NamespaceClaims.Verdict::claim), threads).get(5, TimeUnit.SECONDS)).isEqualTo(NamespaceClaims.Claim.FREE);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
    }

    /** Claims the namespace and stays inside the claim until released; returns once it is inside. */
    private CompletableFuture<NamespaceClaims.Claim> holdClaim(String namespace, CountDownLatch release) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<NamespaceClaims.Claim> claim = CompletableFuture.supplyAsync(() ->
                claims.withClaim(namespace, "shop", Optional.empty(), verdict -> {
                    inside.countDown();
                    await(release);
                    return verdict.claim();
                }), threads);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        return claim;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
