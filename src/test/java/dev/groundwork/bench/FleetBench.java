package dev.groundwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus;
import dev.groundwork.api.v1alpha1.PlatformStandardStatus.RolloutStatus;
import dev.groundwork.api.v1alpha1.PreviewSummary;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.drift.BaselineHash;
import dev.groundwork.it.Pods;
import dev.groundwork.it.Products;
import dev.groundwork.it.Quotas;
import dev.groundwork.it.Standards;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The fleet benchmark (bench/fleet.sh starts the API server and runs this): the API server's limit for groundwork's
 * objects, then groundwork converging, idling, repairing, restarting and rolling out a standard change, all on the
 * same API server. Prints figures; asserts nothing.
 */
public final class FleetBench {
    private static final String OPERATOR_USER = "groundwork-operator";
    private static final String LIMIT_MANAGED_BY = "groundwork-bench-limit";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * What the image's run-java.sh (ubi9 openjdk-17-runtime) adds by default besides the heap size and the collector
     * (GC_CONTAINER_OPTIONS, -XX:+UseParallelGC unless the chart's jvm.gc replaces it).
     */
    private static final String RUN_JAVA_DEFAULTS = "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 "
            + "-XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError";
    private static final String RUN_JAVA_GC = "-XX:+UseParallelGC";

    private final int n = Integer.getInteger("bench.products", 1000);
    private final int writers = Integer.getInteger("bench.writers", 16);
    private final Duration timeout = Duration.ofSeconds(Integer.getInteger("bench.timeout", 900));
    private final String rollout = System.getProperty("bench.rollout", "{\"strategy\":\"Immediate\"}");
    /** -Dbench.rollout2: a second rollout stanza, written after the first change; a second change is timed with it. */
    private final String rollout2 = System.getProperty("bench.rollout2");
    private final Path root = Path.of(System.getProperty("bench.root", "."));
    private final Path work = Path.of(System.getProperty("bench.work", "/tmp"));
    private final Path auditLog = Path.of(System.getProperty("bench.auditLog"));
    private final Path operatorKubeconfig = Path.of(System.getProperty("bench.operatorKubeconfig"));
    private final KubernetesClient admin = client(Path.of(System.getProperty("bench.kubeconfig")));
    private final LoadedStandard standard = StandardLoader.load(Optional.empty());
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Map<String, ProductPlatform> products = new ConcurrentHashMap<>();
    /** The chart's MALLOC_ARENA_MAX (jvm.mallocArenaMax), given to the operator's process; null: glibc's default. */
    private String mallocArenaMax;
    private Process operator;
    private int operatorRun;
    private int httpPort;

    public static void main(String[] args) throws Exception {
        int status = 0;
        FleetBench bench = new FleetBench();
        try {
            bench.run();
        } catch (Exception e) {
            e.printStackTrace(System.out);
            status = 1;
        } finally {
            bench.stopOperator();
            bench.print();
        }
        System.exit(status);
    }

    private void run() throws Exception {
        List<String> jvm = jvmOptions();
        figures.put("products", "%d (critical, 2 environments, 1 peer, 1 egress CIDR)".formatted(n));
        figures.put("operator JVM options", String.join(" ", jvm)
                + (mallocArenaMax == null ? "" : " (MALLOC_ARENA_MAX=" + mallocArenaMax + ")"));
        int perProduct = plan("lim", 0).stream().mapToInt(List::size).sum();
        figures.put("objects", "%d (%d per product)".formatted(n * perProduct, perProduct));

        log("limit: applying %d objects with %d writers", n * perProduct, writers);
        apiServerProfile("limit");
        double limit = limit();
        figures.put("limit (SSA, %d writers)".formatted(writers), secs(limit));
        log("limit: %.1f s; deleting its objects", limit);
        deleteLimitObjects();

        admin.resource(Serialization.unmarshal("""
                {"apiVersion":"groundwork.dev/v1alpha1","kind":"PlatformStandard","metadata":{"name":"default"},
                 "spec":{"rollout":%s}}""".formatted(rollout), PlatformStandard.class))
                .fieldManager("bench").forceConflicts().serverSideApply();
        SharedIndexInformer<ProductPlatform> informer = admin.resources(ProductPlatform.class).inform(new Tracker());

        Instant startedAt = startOperator(jvm);
        awaitReady(startedAt);
        log("groundwork: applying %d products", n);
        long t0 = System.nanoTime();
        Instant convergeStart = Instant.now();
        apiServerProfile("convergence");
        parallel(n, i -> Products.apply(admin, productYaml("gw", i)));
        double applied = (System.nanoTime() - t0) / 1e9;
        awaitAll(p -> Products.isTrue(p, "Ready") && Objects.equals(p.getStatus().managedResources(), perProduct),
                "Ready with " + perProduct + " objects");
        double converged = (System.nanoTime() - t0) / 1e9;
        Instant convergedAt = Instant.now();
        figures.put("groundwork convergence", "%s (products applied in %s)".formatted(secs(converged), secs(applied)));
        figures.put("ratio to the limit", "%.2fx".formatted(converged / limit));
        long[] rss = rss();
        figures.put("operator RSS / peak RSS", "%d MiB / %d MiB".formatted(rss[0] / 1024, rss[1] / 1024));
        figures.put("live set (heap after full GC)", liveSet());
        Files.writeString(work.resolve("histogram-" + n + ".txt"), jcmd("GC.class_histogram"));
        figures.put("reconciliations while converging", reconciliations());

        if (Boolean.getBoolean("bench.previewOnly")) {
            // -Dbench.previewOnly=true: convergence, then the preview of a change (issue 23) and nothing else
            figures.put("operator writes while converging", Audit.read(auditLog).summary(convergeStart, convergedAt));
            preview();
            return;
        }
        if (Boolean.getBoolean("bench.convergeOnly")) {
            // -Dbench.convergeOnly=true: limit, convergence and memory only, to compare builds quickly
            figures.put("operator writes while converging", Audit.read(auditLog).summary(convergeStart, convergedAt));
            return;
        }
        log("quiet minute");
        Instant quietStart = Instant.now();
        Thread.sleep(60_000);
        Instant quietEnd = Instant.now();

        log("drift repair: 40 deletions");
        figures.put("drift repair p50 / p99 (40 deletions)", driftRepair(40, 10));

        log("restart");
        stopOperator();
        Instant restartAt = startOperator(jvm);
        double ready = awaitReady(restartAt);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), restartAt.plusSeconds(30)).toMillis()));
        Instant restartWindowEnd = Instant.now();
        long[] rssAfterRestart = rss();

        log("standard change");
        Instant changeStart = Instant.now();
        figures.put("standard change to all products (rollout " + rollout + ")", standardChange("400Gi"));
        Instant changeEnd = Instant.now();
        Instant change2Start = null;
        Instant change2End = null;
        if (rollout2 != null) {
            admin.resources(PlatformStandard.class).withName("default").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"rollout\":" + rollout2 + "}}");
            Thread.sleep(10_000); // the rollout setting is not part of the revision: let its requeue of every product settle
            log("second standard change (rollout %s)", rollout2);
            change2Start = Instant.now();
            figures.put("second standard change to all products (rollout " + rollout2 + ")", standardChange("500Gi"));
            change2End = Instant.now();
        }
        preview();
        long[] rssEnd = rss();
        informer.close();

        Thread.sleep(2000); // the audit log is written as requests complete; let the last lines land
        Audit audit = Audit.read(auditLog);
        figures.put("operator writes while converging", audit.summary(convergeStart, convergedAt));
        figures.put("operator writes in a quiet minute", audit.summary(quietStart, quietEnd));
        figures.put("restart: time to ready (/q/health/ready)", secs(ready));
        figures.put("restart: operator writes in the 30 s after start", audit.summary(restartAt, restartWindowEnd));
        figures.put("operator writes during the standard change", audit.summary(changeStart, changeEnd));
        if (change2Start != null) {
            figures.put("operator writes during the second standard change", audit.summary(change2Start, change2End));
        }
        figures.put("operator RSS after restart / at the end (peak)", "%d MiB / %d MiB (%d MiB)"
                .formatted(rssAfterRestart[0] / 1024, rssEnd[0] / 1024, rssEnd[1] / 1024));
    }

    // ---- the limit ----------------------------------------------------------------------------------------------

    /** The desired objects of one product, per environment (namespace first), as groundwork's planner makes them. */
    private List<List<HasMetadata>> plan(String prefix, int i) {
        ProductPlatform product = Serialization.unmarshal(productYaml(prefix, i), ProductPlatform.class);
        Set<String> protectedNamespaces = new TreeSet<>(standard.standard().protectedNamespaces());
        protectedNamespaces.add("groundwork-system");
        var resolved = new ProductResolver(standard.standard(), protectedNamespaces).resolve(product);
        String peer = name(prefix, (i + 1) % n);
        PeerNamespaces peers = new PeerNamespaces(Map.of(peer, Map.of("prod", peer + "-prod", "staging", peer + "-staging")));
        Baseline baseline = new BaselinePlanner(standard.standard())
                .plan(resolved, new ClusterFacts(new TreeSet<>(), false, peers), ns -> Map.of());
        List<List<HasMetadata>> envs = new ArrayList<>();
        for (Baseline.EnvironmentBaseline env : baseline.environments()) {
            envs.add(env.objects().stream().map(DesiredObject::object).<HasMetadata>map(BaselineHash::stamp).toList());
        }
        return envs;
    }

    /**
     * The same objects, server-side applied under the same field manager, each environment's namespace first, by the
     * client-go program ssa-limit with {@code writers} writers and no client rate limit. Their managed-by label says
     * "groundwork-bench-limit", so the operator (whose informers select managed-by=groundwork) never caches them.
     */
    private double limit() throws Exception {
        Path file = work.resolve("limit-objects.jsonl");
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < n; i++) {
                for (List<HasMetadata> env : plan("lim", i)) {
                    env.forEach(o -> o.getMetadata().getLabels().put(Labels.MANAGED_BY, LIMIT_MANAGED_BY));
                    out.write(Serialization.asJson(env));
                    out.newLine();
                }
            }
        }
        Process p = new ProcessBuilder(System.getProperty("bench.ssaLimit"), "-kubeconfig", System.getProperty("bench.kubeconfig"),
                "-objects", file.toString(), "-writers", String.valueOf(writers)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ssa-limit failed");
        }
        return Double.parseDouble(out);
    }

    /** Namespaces cannot go (no kube-controller-manager): their objects are deleted, the namespaces are left terminating. */
    private void deleteLimitObjects() throws Exception {
        parallel(n * 2, e -> {
            String ns = name("lim", e / 2) + (e % 2 == 0 ? "-prod" : "-staging");
            admin.network().v1().networkPolicies().inNamespace(ns).withLabel(Labels.MANAGED_BY, LIMIT_MANAGED_BY).delete();
            admin.resourceQuotas().inNamespace(ns).withLabel(Labels.MANAGED_BY, LIMIT_MANAGED_BY).delete();
            admin.limitRanges().inNamespace(ns).withLabel(Labels.MANAGED_BY, LIMIT_MANAGED_BY).delete();
            admin.rbac().roleBindings().inNamespace(ns).withLabel(Labels.MANAGED_BY, LIMIT_MANAGED_BY).delete();
            admin.namespaces().withName(ns).delete();
        });
    }

    // ---- groundwork ---------------------------------------------------------------------------------------------

    private String productYaml(String prefix, int i) {
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                  team: team-%s
                  tier: critical
                  environments:
                    - name: prod
                    - name: staging
                  networking:
                    allowIngressFrom:
                      - product: %s
                        ports: [8080]
                    allowEgressCIDRs:
                      - cidr: 203.0.113.0/24
                        ports: [443]
                """.formatted(name(prefix, i), name(prefix, i), name(prefix, (i + 1) % n));
    }

    private static String name(String prefix, int i) {
        return "%s-%05d".formatted(prefix, i);
    }

    private final class Tracker implements ResourceEventHandler<ProductPlatform> {
        @Override
        public void onAdd(ProductPlatform p) {
            products.put(p.getMetadata().getName(), p);
        }

        @Override
        public void onUpdate(ProductPlatform before, ProductPlatform p) {
            products.put(p.getMetadata().getName(), p);
        }

        @Override
        public void onDelete(ProductPlatform p, boolean unknown) {
            products.remove(p.getMetadata().getName());
        }
    }

    private void awaitAll(Predicate<ProductPlatform> done, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long lastLog = System.nanoTime();
        while (true) {
            long count = products.values().stream().filter(p -> p.getMetadata().getName().startsWith("gw-"))
                    .filter(p -> p.getStatus() != null && done.test(p)).count();
            if (count >= n) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only %d of %d products %s after %s".formatted(count, n, what, timeout));
            }
            if (System.nanoTime() - lastLog > 15e9) {
                log("  %d of %d products %s; operator RSS %d MiB", count, n, what, rss()[0] / 1024);
                lastLog = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private String driftRepair(int deletions, int wave) throws Exception {
        Map<String, CompletableFuture<Long>> recreated = new ConcurrentHashMap<>();
        List<Double> latencies = new ArrayList<>();
        try (var watch = admin.network().v1().networkPolicies().inAnyNamespace()
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).withField("metadata.name", "groundwork-allow-same-namespace")
                .watch(new Watcher<NetworkPolicy>() {
                    @Override
                    public void eventReceived(Action action, NetworkPolicy policy) {
                        CompletableFuture<Long> f = recreated.get(policy.getMetadata().getNamespace());
                        if (action == Action.ADDED && f != null) {
                            f.complete(System.nanoTime());
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            for (int done = 0; done < deletions; done += wave) {
                Map<String, Long> started = new HashMap<>();
                for (int j = done; j < Math.min(deletions, done + wave); j++) {
                    String namespace = name("gw", (int) ((long) j * n / deletions)) + (j % 2 == 0 ? "-prod" : "-staging");
                    recreated.put(namespace, new CompletableFuture<>());
                    started.put(namespace, System.nanoTime());
                    admin.network().v1().networkPolicies().inNamespace(namespace).withName("groundwork-allow-same-namespace").delete();
                }
                for (Map.Entry<String, Long> e : started.entrySet()) {
                    latencies.add((recreated.get(e.getKey()).get(60, TimeUnit.SECONDS) - e.getValue()) / 1e6);
                    recreated.remove(e.getKey());
                }
                Thread.sleep(500);
            }
        }
        Collections.sort(latencies);
        return "%.0f ms / %.0f ms (max %.0f ms)".formatted(percentile(latencies, 50), percentile(latencies, 99),
                latencies.get(latencies.size() - 1));
    }

    private String standardChange(String defaultTotal) throws Exception {
        return criticalTierChange("{\"storage\":{\"defaultTotal\":\"" + defaultTotal + "\"}}");
    }

    /** A merge patch of the critical tier, timed until every product is on the new revision and Ready. */
    private String criticalTierChange(String criticalPatch) throws Exception {
        String before = currentTarget();
        long t0 = System.nanoTime();
        admin.resources(PlatformStandard.class).withName("default").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"tiers\":{\"critical\":" + criticalPatch + "}}}");
        String revision = awaitNewTarget(before);
        double revised = (System.nanoTime() - t0) / 1e9;
        awaitAll(p -> revision.equals(p.getStatus().standardRevision()) && Products.isTrue(p, "Ready"),
                "on revision " + revision);
        double all = (System.nanoTime() - t0) / 1e9;
        return "%s (new revision %s stored after %s)".formatted(secs(all), revision, secs(revised));
    }

    private String currentTarget() {
        return standardStatus().map(PlatformStandardStatus::revision).orElse(null);
    }

    /** Waits until the standard's status names a target other than this one, and returns it. */
    private String awaitNewTarget(String from) throws InterruptedException {
        String target;
        while (Objects.equals(target = currentTarget(), from)) {
            Thread.sleep(50);
        }
        return target;
    }

    private Optional<PlatformStandardStatus> standardStatus() {
        return Optional.ofNullable(Standards.current(admin)).map(PlatformStandard::getStatus);
    }

    // ---- the preview of a change (SPEC 9) ------------------------------------------------------------------------

    /** Products with a pod in each namespace that restricted refuses: every tenth. */
    private static boolean violatesRestricted(int i) {
        return i % 10 == 0;
    }

    /** Products whose claims use more than the lowered storage total: every tenth, others than the pods'. */
    private static boolean overStorage(int i) {
        return i % 10 == 5;
    }

    /**
     * The plan step at fleet scale: a change of the standard applied with {@code rollout.paused: true} that raises
     * the critical tier's Pod Security enforce level (baseline to restricted: a dry run per namespace, each judging
     * the namespace's pod) and lowers its storage total below what a tenth of the products use; timed from the apply
     * until the standard's summary covers every product, with the operator's API requests in that time by kind and
     * the memory it added. Then the rollout is unpaused (Immediate, impactPolicy Halt): the clean products move, the
     * blocked ones stay, each checked afresh before it moves.
     */
    private void preview() throws Exception {
        log("preview set-up: critical tier's Pod Security enforce level to baseline, rolled out");
        // Immediate, whatever stanza the run's earlier changes used (null removes a Waves stanza's other keys)
        admin.resources(PlatformStandard.class).withName("default").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"rollout\":{\"strategy\":\"Immediate\",\"waves\":null,\"progressDeadline\":null}}}");
        figures.put("preview set-up: enforce baseline to all products", criticalTierChange(
                "{\"podSecurity\":{\"enforce\":\"baseline\"}}"));
        log("preview set-up: a pod in each of %d namespaces (API objects; every tenth product's refused by restricted); "
                + "every tenth product's quota says it uses 350Gi (the bench plays the quota controller)", 2 * n);
        parallel(2 * n, e -> {
            int i = e / 2;
            String namespace = name("gw", i) + (e % 2 == 0 ? "-prod" : "-staging");
            Pods.create(admin, namespace, "app", !violatesRestricted(i));
            if (overStorage(i)) {
                Quotas.playController(admin, namespace, Map.of("requests.storage", "350Gi"));
            }
        });
        Thread.sleep(5_000); // the quota status updates reach the operator's cache and are reconciled
        int expectedBlocked = (int) IntStream.range(0, n).filter(i -> violatesRestricted(i) || overStorage(i)).count();
        long[] rssBefore = rss();
        String liveBefore = liveSet();
        String from = currentTarget();

        log("preview: the change applied paused");
        Instant applyAt = Instant.now();
        long t0 = System.nanoTime();
        admin.resources(PlatformStandard.class).withName("default").patch(PatchContext.of(PatchType.JSON_MERGE), """
                {"spec":{"rollout":{"paused":true},"tiers":{"critical":{"podSecurity":{"enforce":"restricted"},
                 "storage":{"defaultTotal":"300Gi"}}}}}""");
        String revision = awaitNewTarget(from);
        double revised = (System.nanoTime() - t0) / 1e9;
        awaitAll(p -> p.getStatus().preview() != null && revision.equals(p.getStatus().preview().revision()),
                "previewed " + revision);
        double products = (System.nanoTime() - t0) / 1e9;
        PreviewSummary summary;
        while ((summary = standardStatus().map(PlatformStandardStatus::preview).orElse(null)) == null
                || !revision.equals(summary.revision())
                || !Objects.equals(summary.previewed(), n)) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new IllegalStateException("the standard's preview is not complete after " + timeout + ": " + summary);
            }
            Thread.sleep(50);
        }
        double complete = (System.nanoTime() - t0) / 1e9;
        Instant completeAt = Instant.now();
        long moved = products().filter(p -> revision.equals(p.getStatus().standardRevision())).count();
        figures.put("preview: apply to complete (standard's status.preview)", "%s (revision %s stored after %s, every product's status.preview after %s)"
                .formatted(secs(complete), revision, secs(revised), secs(products)));
        figures.put("preview: the standard's summary", "%s; blocked %d (expected %d); %s; products moved: %d"
                .formatted(summary.summary(), summary.blocked(), expectedBlocked, summary.byArea(), moved));
        long[] rssAfter = rss();
        String liveAfter = liveSet();
        figures.put("preview: operator RSS before / after", "%d MiB / %d MiB (peak %d MiB)"
                .formatted(rssBefore[0] / 1024, rssAfter[0] / 1024, rssAfter[1] / 1024));
        figures.put("preview: live set before / after", liveBefore + " / " + liveAfter);

        log("preview: unpaused (impactPolicy Halt)");
        Instant unpauseAt = Instant.now();
        long t1 = System.nanoTime();
        admin.resources(PlatformStandard.class).withName("default").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"rollout\":{\"paused\":false}}}");
        awaitCount(n - expectedBlocked, p -> revision.equals(p.getStatus().standardRevision()), "moved to " + revision);
        double cleanMoved = (System.nanoTime() - t1) / 1e9;
        Optional<RolloutStatus> rolloutNow;
        while ((rolloutNow = standardStatus().map(PlatformStandardStatus::rollout)).map(r -> r.phase() != RolloutPhase.Halted
                || failuresNamed(r) < expectedBlocked).orElse(true)) {
            if (System.nanoTime() - t1 > timeout.toNanos()) {
                throw new IllegalStateException("the rollout did not halt naming every blocked product: " + rolloutNow);
            }
            Thread.sleep(50);
        }
        double halted = (System.nanoTime() - t1) / 1e9;
        Instant haltedAt = Instant.now();
        figures.put("preview: unpause to the clean products moved / the rollout halted naming every blocked one",
                "%s / %s (%d moved, %d held)".formatted(
                secs(cleanMoved), secs(halted), products().filter(p -> revision.equals(p.getStatus().standardRevision())).count(),
                products().filter(p -> !revision.equals(p.getStatus().standardRevision())).count()));

        Thread.sleep(2000); // the audit log is written as requests complete; let the last lines land
        Audit audit = Audit.read(auditLog);
        figures.put("preview: operator requests from apply to complete", audit.requests(applyAt, completeAt));
        figures.put("preview: operator requests from unpause to halt", audit.requests(unpauseAt, haltedAt));
    }

    private Stream<ProductPlatform> products() {
        return products.values().stream().filter(p -> p.getMetadata().getName().startsWith("gw-") && p.getStatus() != null);
    }

    private void awaitCount(long count, Predicate<ProductPlatform> done, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (products().filter(done).count() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only %d of %d products %s after %s".formatted(
                        products().filter(done).count(), count, what, timeout));
            }
            Thread.sleep(100);
        }
    }

    /** Products the rollout's waves name as failed (held back by their preview). */
    private static int failuresNamed(RolloutStatus rollout) {
        return Optional.ofNullable(rollout.waves()).orElse(List.of()).stream()
                .mapToInt(w -> w.failures() == null ? 0 : w.failures().size()).sum();
    }

    // ---- the operator process -----------------------------------------------------------------------------------

    /**
     * The JVM options the chart gives the operator, as the image's run-java.sh builds them from the chart's values:
     * -XX:MaxRAM stands for the container's memory limit (resources.limits.memory), the heap is jvm.maxHeapPercentage
     * of it, then the collector (jvm.gc, or the image's), the image's GC defaults and jvm.options; MALLOC_ARENA_MAX
     * as jvm.mallocArenaMax sets it. -Dbench.jvm replaces the options, -Dbench.mallocArenaMax the arenas (0: glibc's
     * default), to try other settings.
     */
    private List<String> jvmOptions() throws IOException {
        JsonNode values = new YAMLMapper().readTree(root.resolve("helm/groundwork/values.yaml").toFile());
        int arenas = Integer.getInteger("bench.mallocArenaMax", values.path("jvm").path("mallocArenaMax").asInt(0));
        mallocArenaMax = arenas > 0 ? String.valueOf(arenas) : null;
        String options = System.getProperty("bench.jvm");
        if (options == null) {
            String limit = values.path("resources").path("limits").path("memory").asText();
            String gc = values.path("jvm").path("gc").asText("");
            options = "-XX:MaxRAM=%dm -XX:MaxRAMPercentage=%d %s %s %s".formatted(
                    Quantity.getAmountInBytes(new Quantity(limit))
                            .longValue() / (1024 * 1024),
                    values.path("jvm").path("maxHeapPercentage").asInt(50), gc.isBlank() ? RUN_JAVA_GC : gc,
                    RUN_JAVA_DEFAULTS, values.path("jvm").path("options").asText(""));
        }
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /**
     * -Dbench.profileSeconds=S: the API server's CPU profile for the first S seconds of a phase, into
     * WORK/apiserver-PHASE.pprof (read with {@code go tool pprof -top}), so the two phases' costs can be compared.
     */
    private void apiServerProfile(String phase) throws IOException {
        Integer seconds = Integer.getInteger("bench.profileSeconds");
        if (seconds != null) {
            new ProcessBuilder(System.getenv().getOrDefault("KUBECTL", "kubectl"), "--kubeconfig",
                    System.getProperty("bench.kubeconfig"), "get", "--raw", "/debug/pprof/profile?seconds=" + seconds)
                    .redirectOutput(work.resolve("apiserver-" + phase + ".pprof").toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
    }

    private Instant startOperator(List<String> jvm) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            httpPort = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvm);
        if (Boolean.getBoolean("bench.jfr")) {
            // -Dbench.jfr=true: a flight recording of the operator (CPU samples every 10 ms), WORK/operator-N.jfr
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve("operator-" + (operatorRun + 1) + ".jfr"));
        }
        // -Dbench.app: another build of the operator (e.g. a copy of target/quarkus-app from before a change)
        command.addAll(List.of("-jar", System.getProperty("bench.app", root.resolve("target/quarkus-app/quarkus-run.jar").toString())));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("operator-" + (++operatorRun) + ".log").toFile());
        builder.environment().put("KUBECONFIG", operatorKubeconfig.toString());
        builder.environment().put("GROUNDWORK_OPERATOR_NAMESPACE", "groundwork-system");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        if (mallocArenaMax != null) {
            builder.environment().put("MALLOC_ARENA_MAX", mallocArenaMax);
        }
        Instant at = Instant.now();
        operator = builder.start();
        return at;
    }

    private double awaitReady(Instant startedAt) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!operator.isAlive()) {
                throw new IllegalStateException("the operator exited; see " + work.resolve("operator-" + operatorRun + ".log"));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.between(startedAt, Instant.now()).toMillis() / 1e3;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
    }

    private void stopOperator() throws InterruptedException {
        if (operator != null && operator.isAlive()) {
            operator.destroy();
            if (!operator.waitFor(30, TimeUnit.SECONDS)) {
                operator.destroyForcibly().waitFor();
            }
        }
    }

    /** VmRSS and VmHWM of the operator process, in KiB. */
    private long[] rss() {
        try {
            String status = Files.readString(Path.of("/proc/" + operator.pid() + "/status"));
            return new long[]{kib(status, "VmRSS"), kib(status, "VmHWM")};
        } catch (IOException e) {
            return new long[]{-1, -1};
        }
    }

    private static long kib(String status, String field) {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Reconciliations started per kind (ProductPlatform, PlatformStandard), from the operator's /q/metrics (kept as metrics-N.txt). */
    private String reconciliations() {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Files.writeString(work.resolve("metrics-" + n + ".txt"), metrics);
            Map<String, Double> byController = new TreeMap<>();
            Matcher m = Pattern.compile("(?m)^operator_sdk_reconciliations_started_total\\{([^}]*)\\} (\\S+)$").matcher(metrics);
            while (m.find()) {
                Matcher c = Pattern.compile("kind=\"([^\"]+)\"").matcher(m.group(1));
                byController.merge(c.find() ? c.group(1) : "?", Double.parseDouble(m.group(2)), Double::sum);
            }
            return byController.isEmpty() ? "(no operator_sdk_reconciliations_started_total in /q/metrics)" : byController.toString();
        } catch (Exception e) {
            return "(metrics unavailable: " + e + ")";
        }
    }

    /** Heap in use after a full collection (jcmd GC.run, then GC.heap_info): the live set. */
    private String liveSet() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        long used = 0;
        long total = 0;
        Matcher m = Pattern.compile("(?m)^\\s*\\S.*?\\s+total (\\d+)K, used (\\d+)K").matcher(info);
        while (m.find()) {
            total += Long.parseLong(m.group(1));
            used += Long.parseLong(m.group(2));
        }
        return "%d MiB (heap committed %d MiB)".formatted(used / 1024, total / 1024);
    }

    private String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(operator.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private interface Task {
        void run(int i) throws Exception;
    }

    private void parallel(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    task.run(index);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            // No client-side limit on concurrent requests: the limit is the API server's.
            config.setMaxConcurrentRequests(256);
            config.setMaxConcurrentRequestsPerHost(256);
            config.setRequestTimeout(60_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static String secs(double s) {
        return "%.1f s".formatted(s);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[fleet %s] %s%n", Instant.now().toString().substring(11, 19), format.formatted(args));
    }

    private void print() {
        System.out.println();
        System.out.println("=== groundwork fleet benchmark ===");
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        figures.forEach((k, v) -> System.out.printf("%-" + width + "s  %s%n", k, v));
    }

    /**
     * The operator's requests in the API server's audit log: writes (create, update, patch, delete) of every user are
     * logged, and the operator's reads too. A request counts once: at ResponseComplete, a watch at ResponseStarted.
     */
    private record Audit(List<Entry> entries) {
        private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

        record Entry(Instant at, String verb, String resource, boolean dryRun) {
            boolean write() {
                return WRITES.contains(verb) && !dryRun;
            }
        }

        static Audit read(Path log) throws IOException {
            List<Entry> entries = new ArrayList<>();
            try (var lines = Files.lines(log)) {
                lines.forEach(line -> {
                    try {
                        JsonNode e = JSON.readTree(line);
                        String resource = e.path("objectRef").path("resource").asText("?");
                        String verb = e.path("verb").asText();
                        String stage = e.path("stage").asText();
                        if (!OPERATOR_USER.equals(e.path("user").path("username").asText())
                                || !(verb.equals("watch") ? "ResponseStarted" : "ResponseComplete").equals(stage)) {
                            return;
                        }
                        String sub = e.path("objectRef").path("subresource").asText("");
                        entries.add(new Entry(Instant.parse(e.path("requestReceivedTimestamp").asText()), verb,
                                sub.isEmpty() ? resource : resource + "/" + sub,
                                e.path("requestURI").asText().contains("dryRun=All")));
                    } catch (IOException ex) {
                        // a line cut short at the end of the log
                    }
                });
            }
            return new Audit(entries);
        }

        /**
         * Writes in [from, to), the leader-election Lease's renewals counted apart; reviews (selfsubjectrulesreviews,
         * ...) are questions, dry runs store nothing: neither is a write.
         */
        String summary(Instant from, Instant to) {
            Map<String, Integer> byKind = new TreeMap<>();
            int leases = 0;
            for (Entry e : entries) {
                if (e.at.isBefore(from) || !e.at.isBefore(to) || !e.write() || e.resource.endsWith("reviews")) {
                    continue;
                }
                if (e.resource.equals("leases")) {
                    leases++;
                } else {
                    byKind.merge(e.verb + " " + e.resource, 1, Integer::sum);
                }
            }
            int total = byKind.values().stream().mapToInt(Integer::intValue).sum();
            return "%d%s (+ %d Lease renewals)".formatted(total, total == 0 ? "" : " " + byKind, leases);
        }

        /** Every request in [from, to) by verb and resource, dry runs named, the leader election's Lease apart. */
        String requests(Instant from, Instant to) {
            Map<String, Integer> byKind = new TreeMap<>();
            int leases = 0;
            for (Entry e : entries) {
                if (e.at.isBefore(from) || !e.at.isBefore(to)) {
                    continue;
                }
                if (e.resource.equals("leases")) {
                    leases++;
                } else {
                    byKind.merge(e.verb + " " + e.resource + (e.dryRun ? " (dry run)" : ""), 1, Integer::sum);
                }
            }
            int total = byKind.values().stream().mapToInt(Integer::intValue).sum();
            return "%d %s (+ %d Lease requests)".formatted(total, byKind, leases);
        }
    }
}
