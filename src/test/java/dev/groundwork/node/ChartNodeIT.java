package dev.groundwork.node;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.it.Products;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The chart on a real node, as a user installs it: the operator image built by hack/build-images.sh (imported into the
 * node's containerd, never pulled), `helm install --wait`, the examples applied with kubectl; then what only a node
 * shows: a product's namespaces really terminating, quotas reporting usage, upgrades without restarts, and uninstall
 * keeping what products own. One release for the whole class, in order.
 */
@ExtendWith(NodeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartNodeIT {
    static final String RELEASE = "groundwork";
    static final String NS = "groundwork-system";
    /** The chart's defaults, but standard changes reach every product at once (no soak between waves). */
    static final String VALUES = """
            standard:
              rollout:
                strategy: Immediate
            """;

    static Node node;
    static KubernetesClient client;
    static Path values;

    @BeforeAll
    static void setUp() throws Exception {
        node = Node.shared();
        client = node.client();
        values = Files.createTempFile(Node.REPORTS, "values-", ".yaml");
        Files.writeString(values, VALUES);
    }

    static List<Pod> operatorPods() {
        return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "groundwork").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static Node.Result exec(Pod pod, String... command) {
        String[] args = new String[5 + command.length];
        System.arraycopy(new String[]{"exec", "-n", NS, pod.getMetadata().getName(), "--"}, 0, args, 0, 5);
        System.arraycopy(command, 0, args, 5, command.length);
        return node.kubectl(args);
    }

    static ProductPlatform product(String name) {
        return client.resources(ProductPlatform.class).withName(name).get();
    }

    static void log(String line) {
        System.out.println("[node] " + line);
    }

    /** Acceptance 1: helm install --wait; the operator pod is Ready, runs as non-root on a read-only root filesystem, with only its ServiceAccount token. */
    @Test
    @Order(1)
    void helmInstallWaitsForAReadyRestrictedOperator() {
        Instant t0 = Instant.now();
        node.helm("install", RELEASE, "helm/groundwork", "--namespace", NS, "--create-namespace", "--values", values.toString(),
                "--wait", "--timeout", "4m").ok("helm install --wait");
        log("helm install --wait took " + Duration.between(t0, Instant.now()).toMillis() + " ms");

        List<Pod> pods = operatorPods();
        assertThat(pods).hasSize(1);
        Pod pod = pods.get(0);
        assertThat(ready(pod)).as("pod %s Ready", pod.getMetadata().getName()).isTrue();
        Container container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("groundwork/operator:0.1.0-SNAPSHOT");
        log("operator pod " + pod.getMetadata().getName() + " Ready, image " + pod.getStatus().getContainerStatuses().get(0).getImageID());

        String id = exec(pod, "id").ok("kubectl exec id").trim();
        log("kubectl exec " + pod.getMetadata().getName() + " -- id: " + id);
        assertThat(id).startsWith("uid=185(").doesNotContain("uid=0(");

        Node.Result write = exec(pod, "sh", "-c", "echo x > /deployments/probe");
        log("write to the root filesystem: exit " + write.exitCode() + ": " + write.stderr().trim());
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");
        assertThat(exec(pod, "sh", "-c", "echo x > /probe").exitCode()).isNotZero();

        // Its only credential: the projected ServiceAccount token (no Secret volume, no env from Secrets).
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volume.getProjected() != null) {
                assertThat(volume.getProjected().getSources()).allSatisfy(s -> assertThat(s.getSecret()).isNull());
            } else {
                assertThat(volume.getEmptyDir()).as("volume %s", volume.getName()).isNotNull();
            }
        }
        assertThat(container.getEnvFrom()).isNullOrEmpty();
        assertThat(container.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null).isTrue());
        String secrets = exec(pod, "sh", "-c", "find /var/run/secrets /run/secrets -mindepth 1 -maxdepth 3 ! -name '..*' 2>/dev/null | sort").stdout().trim();
        log("secrets in the pod: " + secrets.replace('\n', ' '));
        assertThat(secrets.lines().map(l -> l.replaceFirst("^/var", "")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("/run/secrets/kubernetes.io", "/run/secrets/kubernetes.io/serviceaccount",
                        "/run/secrets/kubernetes.io/serviceaccount/ca.crt", "/run/secrets/kubernetes.io/serviceaccount/namespace",
                        "/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(RELEASE);
        String env = exec(pod, "env").stdout();
        assertThat(env).doesNotContain("KUBECONFIG=").doesNotContain("PASSWORD").doesNotContain("TOKEN=");
    }

    /** Acceptance 1: examples/ applied with kubectl become Ready. */
    @Test
    @Order(2)
    void examplesBecomeReady() {
        Instant t0 = Instant.now();
        node.kubectl("apply", "-f", "examples/").ok("kubectl apply -f examples/");
        for (String name : List.of("payments", "storefront")) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(Products.isTrue(product(name), "Ready")).as("%s Ready", name).isTrue());
        }
        log("examples Ready " + Duration.between(t0, Instant.now()).toMillis() + " ms after kubectl apply");
        log(node.kubectl("get", "productplatforms", "-o", "wide").stdout());
    }

    /**
     * Acceptance 4: a product with deletionPolicy Delete: its quota's status.used is computed (kube-controller-manager),
     * a claim above the product's quota is refused by the API server; on deletion its namespaces really go (the
     * namespace controller runs), except one holding a PersistentVolumeClaim, which stays while DeletionBlocked says why.
     */
    @Test
    @Order(3)
    void deleteRemovesNamespacesButNotClaimsAndQuotasCount() {
        Products.apply(client, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: scratch
                spec:
                  team: scratch-team
                  tier: sandbox
                  mode: Enforce
                  environments:
                    - name: dev
                    - name: staging
                  storage:
                    maxTotal: 2Gi
                    maxClaims: 3
                    maxClaimSize: 2Gi
                    classes: [standard-rwo]
                  deletionPolicy: Delete
                """);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Products.isTrue(product("scratch"), "Ready")).isTrue());

        // The quota controller fills status.used (no controller plays its part here).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<ResourceQuota> quotas = client.resourceQuotas().inNamespace("scratch-dev").list().getItems();
            assertThat(quotas).isNotEmpty();
            assertThat(quotas).allSatisfy(q -> assertThat(q.getStatus()).isNotNull()
                    .satisfies(s -> assertThat(s.getUsed()).isNotEmpty()));
        });
        client.resource(claim("data", "1Gi")).create();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, Quantity> used = client.resourceQuotas().inNamespace("scratch-dev").list().getItems().stream()
                    .flatMap(q -> q.getStatus().getUsed().entrySet().stream())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
            assertThat(used).containsKey("requests.storage");
            assertThat(used.get("requests.storage").getNumericalAmount()).isEqualByComparingTo(Quantity.parse("1Gi").getNumericalAmount());
        });
        for (ResourceQuota q : client.resourceQuotas().inNamespace("scratch-dev").list().getItems()) {
            log("quota " + q.getMetadata().getName() + " hard " + q.getStatus().getHard() + " used " + q.getStatus().getUsed());
        }
        assertThatThrownBy(() -> client.resource(claim("more", "2Gi")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    log("claim above the quota: " + e.getCode() + " " + e.getStatus().getMessage());
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).contains("exceeded quota");
                });

        Instant t0 = Instant.now();
        client.resources(ProductPlatform.class).withName("scratch").delete();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.namespaces().withName("scratch-staging").get() == null);
        log("scratch-staging gone " + Duration.between(t0, Instant.now()).toMillis() + " ms after the product's deletion");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Products.isTrue(product("scratch"), "DeletionBlocked")).isTrue());
        ProductPlatform blocked = product("scratch");
        String message = Products.condition(blocked, "DeletionBlocked").orElseThrow().getMessage();
        log("DeletionBlocked: " + message);
        assertThat(message).contains("scratch-dev (1 PersistentVolumeClaim)");
        Namespace dev = client.namespaces().withName("scratch-dev").get();
        assertThat(dev).isNotNull();
        assertThat(dev.getMetadata().getDeletionTimestamp()).isNull();

        // The owner accepts the data loss: now that namespace goes too, claim and all.
        client.resources(ProductPlatform.class).withName("scratch").edit(p -> {
            if (p.getMetadata().getAnnotations() == null) {
                p.getMetadata().setAnnotations(new java.util.HashMap<>());
            }
            p.getMetadata().getAnnotations().put(ProductPlatform.ALLOW_DATA_LOSS_ANNOTATION, "true");
            return p;
        });
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.namespaces().withName("scratch-dev").get() == null && product("scratch") == null);
    }

    static PersistentVolumeClaim claim(String name, String size) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("scratch-dev").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo")
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    /**
     * Acceptance 2, with replicas: 2: deleting the leader pod hands over (the other pod repairs a deleted NetworkPolicy
     * within the Lease duration plus 5 s); `kubectl rollout restart`: every old pod ends within 10 s of its SIGTERM, a
     * pod is Ready throughout, no repair waits longer than 5 s; evicting both pods: the PodDisruptionBudget refuses the
     * second.
     */
    @Test
    @Order(4)
    void twoReplicasHandOverRollAndKeepOneThroughEvictions() throws Exception {
        node.helm("upgrade", RELEASE, "helm/groundwork", "--namespace", NS, "--values", values.toString(),
                "--set", "replicas=2", "--wait", "--timeout", "4m").ok("helm upgrade --set replicas=2");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> operatorPods().size() == 2 && operatorPods().stream().allMatch(ChartNodeIT::ready));

        // 1. The leader's pod deleted (SIGTERM; it releases the Lease): the other repairs within the Lease duration + 5 s.
        String leader = leader();
        assertThat(operatorPods().stream().map(p -> p.getMetadata().getName())).contains(leader);
        Instant t0 = Instant.now();
        client.pods().inNamespace(NS).withName(leader).delete();
        Duration repair = deleteAndAwaitRepair(Duration.ofSeconds(20));
        log("leader " + leader + " deleted: NetworkPolicy repaired " + Duration.between(t0, Instant.now()).toMillis()
                + " ms after the deletion (repair itself " + repair.toMillis() + " ms), new leader " + leader());
        assertThat(Duration.between(t0, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(15 + 5));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> operatorPods().size() == 2 && operatorPods().stream().allMatch(ChartNodeIT::ready));

        // 2. kubectl rollout restart: old pods end within 10 s of SIGTERM; one pod Ready throughout; repairs within 5 s.
        List<String> old = operatorPods().stream().map(p -> p.getMetadata().getName()).toList();
        java.util.concurrent.atomic.AtomicInteger minReady = new java.util.concurrent.atomic.AtomicInteger(2);
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Map<String, Instant> terminating = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Instant> gone = new java.util.concurrent.ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                List<Pod> pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "groundwork").list().getItems();
                Instant now = Instant.now();
                minReady.accumulateAndGet((int) pods.stream().filter(ChartNodeIT::ready).count(), Math::min);
                for (String name : old) {
                    Pod p = pods.stream().filter(x -> x.getMetadata().getName().equals(name)).findFirst().orElse(null);
                    if (p != null && p.getMetadata().getDeletionTimestamp() != null) {
                        terminating.putIfAbsent(name, now);
                    }
                    boolean ended = p == null || p.getStatus().getContainerStatuses().stream()
                            .anyMatch(c -> c.getState() != null && c.getState().getTerminated() != null);
                    if (ended && terminating.containsKey(name)) {
                        gone.putIfAbsent(name, now);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rollout-watcher");
        watcher.start();
        node.kubectl("rollout", "restart", "deployment/" + RELEASE, "-n", NS).ok("kubectl rollout restart");
        List<Long> repairs = new java.util.ArrayList<>();
        Instant rolloutStart = Instant.now();
        while (gone.size() < old.size() && Duration.between(rolloutStart, Instant.now()).compareTo(Duration.ofMinutes(3)) < 0) {
            repairs.add(deleteAndAwaitRepair(Duration.ofSeconds(30)).toMillis());
            Thread.sleep(1000);
        }
        node.kubectl("rollout", "status", "deployment/" + RELEASE, "-n", NS, "--timeout=3m").ok("kubectl rollout status");
        watching.set(false);
        watcher.join();
        Map<String, Long> stopMillis = old.stream().collect(Collectors.toMap(n -> n,
                n -> gone.containsKey(n) ? Duration.between(terminating.get(n), gone.get(n)).toMillis() : -1L));
        log("rollout restart: old pods ended after SIGTERM (ms, seen by 100 ms polling) " + stopMillis
                + "; fewest Ready pods at any time " + minReady.get() + "; NetworkPolicy repairs during it (ms) " + repairs);
        assertThat(stopMillis.values()).allSatisfy(ms -> assertThat(ms).isBetween(0L, 10_000L));
        assertThat(minReady.get()).isGreaterThanOrEqualTo(1);
        assertThat(repairs).isNotEmpty().allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(5_000L));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> operatorPods().size() == 2 && operatorPods().stream().allMatch(ChartNodeIT::ready));

        // 3. Evicting both through the Eviction API: the PodDisruptionBudget (minAvailable 1) refuses the second.
        List<Pod> pods = operatorPods();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(RELEASE).get().getStatus().getDisruptionsAllowed() == 1);
        // kubectl's raw Eviction, as a drain does: Fabric8's evict() retries a 429 until it passes.
        Node.Result first = evict(pods.get(0).getMetadata().getName());
        Node.Result second = evict(pods.get(1).getMetadata().getName());
        log("eviction of " + pods.get(0).getMetadata().getName() + ": exit " + first.exitCode() + " " + first.stdout().trim()
                + "; of " + pods.get(1).getMetadata().getName() + ": exit " + second.exitCode() + " " + second.stderr().trim());
        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).isNotZero();
        assertThat(second.stderr()).contains("TooManyRequests").contains("disruption budget");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> operatorPods().size() == 2 && operatorPods().stream().allMatch(ChartNodeIT::ready));
    }

    static Node.Result evict(String pod) throws Exception {
        Path body = Files.createTempFile(Node.REPORTS, "eviction-", ".json");
        Files.writeString(body, "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + pod
                + "\",\"namespace\":\"" + NS + "\"}}");
        return node.kubectl("create", "--raw", "/api/v1/namespaces/" + NS + "/pods/" + pod + "/eviction", "-f", body.toString());
    }

    static String leader() {
        io.fabric8.kubernetes.api.model.coordination.v1.Lease lease =
                client.leases().inNamespace(NS).withName("groundwork-leader").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** The product namespaces' NetworkPolicies, each deleted at most once: the operator backs off repairs of an object
     * deleted again and again (RepairBackoff, per object: 0.1, 1, 2, 4, 8 s), which would be measured instead. */
    static final java.util.Deque<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> FRESH = new java.util.ArrayDeque<>();

    /** Deletes a NetworkPolicy not deleted before and waits until the operator has re-created it: how long that took. */
    static Duration deleteAndAwaitRepair(Duration atMost) {
        if (FRESH.isEmpty()) {
            for (String ns : List.of("payments-prod", "payments-staging", "storefront-prod", "storefront-staging", "storefront-dev")) {
                FRESH.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems());
            }
        }
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy = FRESH.removeFirst();
        String ns = policy.getMetadata().getNamespace();
        String name = policy.getMetadata().getName();
        String uid = policy.getMetadata().getUid();
        Instant t0 = Instant.now();
        client.resource(policy).withGracePeriod(0).delete();
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy now =
                    client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
            return now != null && !now.getMetadata().getUid().equals(uid);
        });
        return Duration.between(t0, Instant.now());
    }

    /** Acceptance 3: helm upgrade with a changed standard: no pod restarts, products move to the new revision. */
    @Test
    @Order(5)
    void helmUpgradeMovesProductsWithoutRestarts() {
        Map<String, Integer> before = operatorPods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
        String oldRevision = product("payments").getStatus().standardRevision();
        Instant t0 = Instant.now();
        node.helm("upgrade", RELEASE, "helm/groundwork", "--namespace", NS, "--reuse-values",
                "--set", "standard.tiers.critical.logging.defaultDays=91", "--set", "standard.tiers.standard.logging.defaultDays=31",
                "--wait", "--timeout", "4m").ok("helm upgrade");
        for (String name : List.of("payments", "storefront")) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                ProductPlatform p = product(name);
                assertThat(p.getStatus().standardRevision()).isNotEqualTo(oldRevision);
                assertThat(Products.isTrue(p, "Ready")).isTrue();
            });
        }
        log("products on revision " + product("payments").getStatus().standardRevision() + " (was " + oldRevision + ") "
                + Duration.between(t0, Instant.now()).toMillis() + " ms after helm upgrade started");
        Map<String, Integer> after = operatorPods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()));
        assertThat(after).as("operator pods and their restarts").isEqualTo(before);
    }

    /** Acceptance 3: helm uninstall keeps the products' namespaces and their NetworkPolicies (Retain). */
    @Test
    @Order(6)
    void helmUninstallRetainsNamespacesAndPolicies() {
        Map<String, Integer> policies = Map.of("payments-prod", count("payments-prod"), "storefront-prod", count("storefront-prod"));
        assertThat(policies.values()).allSatisfy(n -> assertThat(n).isPositive());
        node.helm("uninstall", RELEASE, "--namespace", NS, "--wait", "--timeout", "2m").ok("helm uninstall");
        await().atMost(Duration.ofMinutes(1)).until(() -> operatorPods().isEmpty());
        for (Map.Entry<String, Integer> e : policies.entrySet()) {
            Namespace ns = client.namespaces().withName(e.getKey()).get();
            assertThat(ns).isNotNull();
            assertThat(ns.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(count(e.getKey())).isEqualTo(e.getValue());
        }
        log("after helm uninstall: NetworkPolicies kept " + policies);
    }

    static int count(String namespace) {
        return client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().size();
    }

    static String envValue(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    }
}
