package dev.groundwork.bench;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.ApiServer;
import dev.groundwork.it.Products;
import dev.groundwork.it.TestOperator;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Drift repair latency: the time from deleting a managed NetworkPolicy to its re-creation by the operator, seen
 * through a watch, over waves of concurrent deletions across many products. Run by hand
 * (bench/drift-repair-latency.sh), not in CI: it prints figures, it asserts nothing.
 */
public final class DriftRepairLatency {
    private static final String[] POLICIES = {"groundwork-default-deny", "groundwork-allow-same-namespace",
            "groundwork-allow-dns", "groundwork-allow-ingress-controller", "groundwork-allow-monitoring"};

    public static void main(String[] args) throws Exception {
        int products = Integer.getInteger("bench.products", 50);
        int deletions = Integer.getInteger("bench.deletions", 200);
        int wave = Integer.getInteger("bench.wave", 10);
        try (KubernetesClient admin = ApiServer.client(); TestOperator operator = TestOperator.start()) {
            long setup = System.nanoTime();
            for (int i = 0; i < products; i++) {
                Products.apply(admin, """
                        apiVersion: groundwork.dev/v1alpha1
                        kind: ProductPlatform
                        metadata:
                          name: bench-%02d
                        spec:
                          team: bench
                          tier: critical
                          environments:
                            - name: prod
                        """.formatted(i));
            }
            for (int i = 0; i < products; i++) {
                String name = "bench-%02d".formatted(i);
                admin.resources(ProductPlatform.class).withName(name).waitUntilCondition(
                        p -> Products.isTrue(p, "Ready"), 5, TimeUnit.MINUTES);
            }
            System.out.printf("%d products Ready in %.1f s%n", products, (System.nanoTime() - setup) / 1e9);

            Map<String, CompletableFuture<Long>> recreated = new ConcurrentHashMap<>();
            try (var watch = admin.network().v1().networkPolicies().inAnyNamespace()
                    .withLabel("app.kubernetes.io/managed-by", "groundwork").watch(new Watcher<NetworkPolicy>() {
                        @Override
                        public void eventReceived(Action action, NetworkPolicy policy) {
                            if (action == Action.ADDED) {
                                CompletableFuture<Long> f = recreated.get(key(policy.getMetadata().getNamespace(),
                                        policy.getMetadata().getName()));
                                if (f != null) {
                                    f.complete(System.nanoTime());
                                }
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                        }
                    })) {
                List<Double> latencies = new ArrayList<>();
                int writesBefore = operator.writes().mark();
                for (int done = 0; done < deletions; done += wave) {
                    Map<String, Long> started = new ConcurrentHashMap<>();
                    for (int j = done; j < Math.min(deletions, done + wave); j++) {
                        String namespace = "bench-%02d-prod".formatted(j % products);
                        String policy = POLICIES[(j / products) % POLICIES.length];
                        String key = key(namespace, policy);
                        recreated.put(key, new CompletableFuture<>());
                        started.put(key, System.nanoTime());
                        admin.network().v1().networkPolicies().inNamespace(namespace).withName(policy).delete();
                    }
                    for (Map.Entry<String, Long> entry : started.entrySet()) {
                        long end = recreated.get(entry.getKey()).get(60, TimeUnit.SECONDS);
                        latencies.add((end - entry.getValue()) / 1e6);
                        recreated.remove(entry.getKey());
                    }
                    Thread.sleep(Duration.ofMillis(200).toMillis());
                }
                Collections.sort(latencies);
                System.out.printf("drift repair latency over %d deletions across %d products (waves of %d):%n",
                        latencies.size(), products, wave);
                System.out.printf("  p50 %.0f ms   p90 %.0f ms   p99 %.0f ms   max %.0f ms%n",
                        percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                        latencies.get(latencies.size() - 1));
                System.out.printf("  operator writes during the run: %d (one apply, one status patch and two events per repair)%n",
                        operator.writes().writesSince(writesBefore).size());
            }
        }
        System.exit(0);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
