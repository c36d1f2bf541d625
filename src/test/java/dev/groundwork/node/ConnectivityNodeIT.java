package dev.groundwork.node;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.RolloutPhase;
import dev.groundwork.it.Products;
import dev.groundwork.it.Standards;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Isolation proven with packets (issue 22): a small TCP server in every namespace that matters (busybox `nc -ll` on
 * 8080 and 9090, answering "ok"; the DNS stand-in also on 53), and a probe that connects from every source pod to every
 * destination pod and port (`timeout 2 nc -w 1 IP PORT`, "allowed" only when the server's "ok" came back). The expected
 * matrix comes from this class's own model of the products' specs and the standard's defaults ({@link #expected}),
 * never from the NetworkPolicies the operator wrote, and is compared cell by cell. Before any "allowed" cell is trusted
 * the class proves the enforcer enforces: a default-deny really refuses while an open namespace answers.
 * <p>
 * Runs after ChartNodeIT (which uninstalls its release) with its own install of the chart: same release name, the
 * namespace-identity admission policy off (so that a namespace can be labelled to look like a peer), every standard
 * change at once. Product names (vault, shop, lab, cart) differ from ChartNodeIT's. Groundwork creates every product
 * namespace except the Audit product's (Audit creates nothing): lab-dev exists before lab, with its owner's consent.
 */
@ExtendWith(NodeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(Order.DEFAULT + 1)
class ConnectivityNodeIT {
    static final String RELEASE = "groundwork";
    static final String NS = "groundwork-system";
    static final String IMAGE = "localhost/groundwork-test/busybox:1";
    static final String VALUES = """
            namespaceIdentityPolicy:
              enabled: false
            standard:
              rollout:
                strategy: Immediate
            """;

    // The standard's defaults (src/main/resources/groundwork/standard-defaults.yaml), as this test models them.
    static final String INGRESS_NS = "ingress-nginx";
    static final String MONITORING_NS = "monitoring";
    static final String DNS_NS = "kube-system";
    static final Set<String> EGRESS_DENIED_TIERS = Set.of("critical");

    /** The model of a product's spec: what this class declares below in YAML, nothing read back from the cluster. */
    record Spec(String tier, boolean enforce, Map<String, List<Integer>> ingressPeers, Map<String, List<Integer>> egressPeers,
                Map<String, List<Integer>> cidrs) {
    }

    /** A namespace of the matrix: a product's environment, or an unmanaged one (product null). */
    record Space(String name, String product, String env) {
    }

    /** One probed destination: a server pod's address and port. */
    record Target(String ns, String ip, int port, boolean dns) {
        String key() {
            return (dns ? "dns" : ns) + ":" + port;
        }
    }

    static final String SHOP = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: shop
            spec:
              team: shop-team
              tier: standard
              mode: %s
              environments:
                - name: prod
                - name: staging
              networking:
                allowIngressFrom:
                  - product: vault
                    ports: [9090]
            """;

    static Node node;
    static KubernetesClient client;
    static final Map<String, Spec> SPECS = new LinkedHashMap<>();
    static final List<Space> SPACES = new ArrayList<>();
    static final Map<String, String> IPS = new LinkedHashMap<>();
    static String dnsIp;
    static String outsideIp;

    static void log(String line) {
        System.out.println("[packets] " + line);
    }

    @BeforeAll
    static void setUp() throws Exception {
        Instant t0 = Instant.now();
        node = Node.shared();
        client = node.client();
        Path values = Files.createTempFile(Node.REPORTS, "values-packets-", ".yaml");
        Files.writeString(values, VALUES);
        node.helm("uninstall", RELEASE, "--namespace", NS, "--ignore-not-found", "--wait", "--timeout", "2m").ok("helm uninstall (leftover)");
        node.helm("install", RELEASE, "helm/groundwork", "--namespace", NS, "--create-namespace", "--values", values.toString(),
                "--wait", "--timeout", "4m").ok("helm install --wait");

        // Unmanaged namespaces first: the standard's ingress controller and monitoring, the CIDR server, an impostor.
        for (String ns : List.of(INGRESS_NS, MONITORING_NS, "outside", "impostor")) {
            Node.Result created = node.kubectl("create", "namespace", ns);
            if (!created.ok() && !created.stderr().contains("AlreadyExists")) {
                throw new AssertionError("create namespace " + ns + " failed: " + created);
            }
        }
        // Labelled to look like shop's prod namespace (the identity admission policy is off in this install).
        node.kubectl("label", "namespace", "impostor", Labels.PRODUCT + "=shop", Labels.ENVIRONMENT + "=prod").ok("label impostor");
        // Audit creates nothing: lab's namespace exists before it, with its owner's consent to be reported on.
        node.kubectl("create", "namespace", "lab-dev").ok("create namespace lab-dev");
        node.kubectl("label", "namespace", "lab-dev", Labels.ADOPTION_CONSENT + "=lab").ok("consent on lab-dev");
        applyPods(List.of(INGRESS_NS, MONITORING_NS, "outside", "impostor", "lab-dev"));
        applyPod(DNS_NS, "dns-standin", true);
        awaitPodsRunning();
        outsideIp = ip("outside", "srv");
        dnsIp = ip(DNS_NS, "dns-standin");

        SPECS.put("shop", new Spec("standard", true, Map.of("vault", List.of(9090)), Map.of(), Map.of()));
        SPECS.put("vault", new Spec("critical", true, Map.of("shop", List.of(8080), "cart", List.of(8080)),
                Map.of("shop", List.of(9090)), Map.of(outsideIp + "/32", List.of(8080))));
        SPECS.put("lab", new Spec("sandbox", false, Map.of(), Map.of(), Map.of()));
        SPECS.put("cart", new Spec("standard", true, Map.of(), Map.of(), Map.of()));
        Products.apply(client, SHOP.formatted("Enforce"));
        Products.apply(client, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: vault
                spec:
                  team: vault-team
                  tier: critical
                  mode: Enforce
                  environments:
                    - name: prod
                  networking:
                    allowIngressFrom:
                      - product: shop
                        ports: [8080]
                      - product: cart
                        ports: [8080]
                    allowEgressTo:
                      - product: shop
                        ports: [9090]
                    allowEgressCIDRs:
                      - cidr: %s/32
                        ports: [8080]
                """.formatted(outsideIp));
        Products.apply(client, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: lab
                spec:
                  team: lab-team
                  tier: sandbox
                  mode: Audit
                  environments:
                    - name: dev
                """);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Products.condition(product("lab"), "InSync")).as("lab reported").isPresent());
        log("lab (Audit) InSync: " + Products.condition(product("lab"), "InSync").orElseThrow().getReason());
        for (String name : List.of("shop", "vault")) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(Products.isTrue(product(name), "Ready")).as("%s Ready", name).isTrue());
        }
        applyPods(List.of("shop-prod", "shop-staging", "vault-prod"));
        awaitPodsRunning();

        SPACES.add(new Space("vault-prod", "vault", "prod"));
        SPACES.add(new Space("shop-prod", "shop", "prod"));
        SPACES.add(new Space("shop-staging", "shop", "staging"));
        SPACES.add(new Space("lab-dev", "lab", "dev"));
        for (String ns : List.of(INGRESS_NS, MONITORING_NS, DNS_NS, "outside", "impostor")) {
            SPACES.add(new Space(ns, null, null));
        }
        for (Space s : SPACES) {
            IPS.put(s.name(), s.name().equals(DNS_NS) ? dnsIp : ip(s.name(), "srv"));
        }
        log("set up (helm install, namespaces, products, pods) in " + Duration.between(t0, Instant.now()).toMillis() + " ms; pods " + IPS);
    }

    @AfterAll
    static void tearDown() {
        if (node == null) {
            return;
        }
        // Back to a running operator (a failed drift test may have left it at 0), then the release goes; the node
        // itself goes with TeardownNodeIT.
        node.kubectl("scale", "deployment/" + RELEASE, "-n", NS, "--replicas=1");
        node.helm("uninstall", RELEASE, "--namespace", NS, "--wait", "--timeout", "2m");
    }

    static ProductPlatform product(String name) {
        return client.resources(ProductPlatform.class).withName(name).get();
    }

    static String podYaml(String ns, String name, boolean dns) {
        String labels = dns ? "{app: srv, k8s-app: kube-dns}" : "{app: srv}";
        String dnsPort = dns ? "nc -ll -p 53 -e /bin/echo ok & " : "";
        String user = dns ? "{runAsUser: 0, seccompProfile: {type: RuntimeDefault}}"
                : "{runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: {type: RuntimeDefault}}";
        String caps = dns ? "{drop: [ALL], add: [NET_BIND_SERVICE]}" : "{drop: [ALL]}";
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: %s}
                spec:
                  terminationGracePeriodSeconds: 0
                  securityContext: %s
                  containers:
                    - name: srv
                      image: %s
                      imagePullPolicy: IfNotPresent
                      command: [sh, -c, "%snc -ll -p 8080 -e /bin/echo ok & nc -ll -p 9090 -e /bin/echo ok & wait"]
                      securityContext: {allowPrivilegeEscalation: false, capabilities: %s}
                      resources: {requests: {cpu: 5m, memory: 8Mi}, limits: {cpu: 100m, memory: 32Mi}}
                """.formatted(name, ns, labels, user, IMAGE, dnsPort, caps);
    }

    static void applyPods(List<String> namespaces) throws IOException {
        for (String ns : namespaces) {
            applyPod(ns, "srv", false);
        }
    }

    static void applyPod(String ns, String name, boolean dns) throws IOException {
        Path file = Files.createTempFile(Node.REPORTS, "pod-", ".yaml");
        Files.writeString(file, podYaml(ns, name, dns));
        node.kubectl("apply", "-f", file.toString()).ok("apply pod " + ns + "/" + name);
    }

    static void awaitPodsRunning() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                client.pods().inAnyNamespace().withLabel("app", "srv").list().getItems().stream().allMatch(ConnectivityNodeIT::running));
    }

    static boolean running(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String ip(String ns, String pod) {
        return client.pods().inNamespace(ns).withName(pod).get().getStatus().getPodIP();
    }

    static String srcPod(String ns) {
        return ns.equals(DNS_NS) ? "dns-standin" : "srv";
    }

    static List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (Space s : SPACES) {
            boolean dns = s.name().equals(DNS_NS);
            if (dns) {
                targets.add(new Target(s.name(), IPS.get(s.name()), 53, true));
            }
            targets.add(new Target(s.name(), IPS.get(s.name()), 8080, dns));
            targets.add(new Target(s.name(), IPS.get(s.name()), 9090, dns));
        }
        return targets;
    }

    // ---- the expected model: the specs above and the standard's defaults, nothing read from the cluster ----

    static boolean expected(Space src, Target dst) {
        if (src.name().equals(dst.ns())) {
            return true; // same namespace
        }
        Space to = SPACES.stream().filter(s -> s.name().equals(dst.ns())).findFirst().orElseThrow();
        boolean in = true;
        Spec toSpec = to.product() == null ? null : SPECS.get(to.product());
        if (toSpec != null && toSpec.enforce()) {
            in = src.name().equals(INGRESS_NS) || src.name().equals(MONITORING_NS)
                    || (src.product() != null && src.env().equals(to.env())
                    && toSpec.ingressPeers().getOrDefault(src.product(), List.of()).contains(dst.port()));
        }
        boolean out = true;
        Spec fromSpec = src.product() == null ? null : SPECS.get(src.product());
        if (fromSpec != null && fromSpec.enforce() && EGRESS_DENIED_TIERS.contains(fromSpec.tier())) {
            out = (dst.dns() && dst.port() == 53)
                    || (to.product() != null && to.env().equals(src.env())
                    && fromSpec.egressPeers().getOrDefault(to.product(), List.of()).contains(dst.port()))
                    || fromSpec.cidrs().entrySet().stream().anyMatch(c -> inCidr(dst.ip(), c.getKey()) && c.getValue().contains(dst.port()));
        }
        return in && out;
    }

    static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
    }

    static long toLong(String ip) {
        long v = 0;
        for (String octet : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(octet);
        }
        return v;
    }

    // ---- probes ----

    /** All probes of one source in one exec, in parallel inside the pod: "key Y" (the server's "ok" came back) or "key N". */
    static Map<String, Boolean> probe(String srcNs, List<Target> targets) {
        StringBuilder list = new StringBuilder();
        for (Target t : targets) {
            list.append(t.key()).append('@').append(t.ip()).append('@').append(t.port()).append(' ');
        }
        String script = "for t in " + list + "; do ( set -- $(echo $t | tr @ ' '); "
                + "if timeout 2 nc -w 1 $2 $3 </dev/null 2>/dev/null | grep -q ok; then echo \"$1 Y\"; else echo \"$1 N\"; fi ) & done; wait";
        String out = node.kubectl("exec", "-n", srcNs, srcPod(srcNs), "--", "sh", "-c", script).ok("probe from " + srcNs);
        Map<String, Boolean> result = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2) {
                result.put(f[0], f[1].equals("Y"));
            }
        }
        assertThat(result.keySet()).as("probe results from %s", srcNs).hasSize(targets.size());
        return result;
    }

    static boolean probeOne(String srcNs, String dstNs, int port) {
        Target t = targets().stream().filter(x -> x.ns().equals(dstNs) && x.port() == port).findFirst().orElseThrow();
        return probe(srcNs, List.of(t)).get(t.key());
    }

    /** The whole matrix, sources probed in parallel: source namespace -> target key -> reached. */
    static Map<String, Map<String, Boolean>> matrix() throws Exception {
        List<Target> targets = targets();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Map<String, Future<Map<String, Boolean>>> futures = new LinkedHashMap<>();
            for (Space s : SPACES) {
                futures.put(s.name(), pool.submit(() -> probe(s.name(), targets)));
            }
            Map<String, Map<String, Boolean>> result = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Map<String, Boolean>>> e : futures.entrySet()) {
                result.put(e.getKey(), e.getValue().get());
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<String> mismatches(Map<String, Map<String, Boolean>> actual) {
        List<String> out = new ArrayList<>();
        for (Space s : SPACES) {
            for (Target t : targets()) {
                boolean want = expected(s, t);
                boolean got = actual.get(s.name()).get(t.key());
                if (want != got) {
                    out.add(s.name() + " -> " + t.key() + ": expected " + (want ? "allowed" : "refused") + ", probed " + (got ? "allowed" : "refused"));
                }
            }
        }
        return out;
    }

    static String table(Map<String, Map<String, Boolean>> actual) {
        List<Target> targets = targets();
        StringBuilder sb = new StringBuilder("Y allowed, . refused, ! differs from the expected model\n");
        sb.append(String.format("%-14s", "from \\ to"));
        for (Target t : targets) {
            sb.append(String.format(" %-17s", t.key()));
        }
        sb.append('\n');
        for (Space s : SPACES) {
            sb.append(String.format("%-14s", s.name()));
            for (Target t : targets) {
                boolean got = actual.get(s.name()).get(t.key());
                String cell = (got ? "Y" : ".") + (got != expected(s, t) ? "!" : "");
                sb.append(String.format(" %-17s", cell));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Before any "allowed" is trusted: a default-deny really refuses, while an open namespace answers the same probe. */
    static void proveEnforcement() {
        Instant t0 = Instant.now();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(probeOne("outside", "vault-prod", 9090)).as("outside -> vault-prod:9090 (default deny)").isFalse();
            assertThat(probeOne("outside", "lab-dev", 9090)).as("outside -> lab-dev:9090 (no policy)").isTrue();
        });
        log("enforcer enforcing: outside -> vault-prod:9090 refused while outside -> lab-dev:9090 answers ("
                + Duration.between(t0, Instant.now()).toMillis() + " ms)");
    }

    /** Acceptance 1: the probed matrix equals the model's in every cell. */
    @Test
    @Order(1)
    void matrixEqualsTheModelInEveryCell() throws Exception {
        proveEnforcement();
        Instant t0 = Instant.now();
        List<Map<String, Map<String, Boolean>>> seen = new ArrayList<>();
        // Policies reach the enforcer within ~3 s; the matrix is re-probed until it settles (at most 30 s).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Map<String, Boolean>> m = matrix();
            seen.add(m);
            assertThat(mismatches(m)).isEmpty();
        });
        Map<String, Map<String, Boolean>> last = seen.get(seen.size() - 1);
        long cells = last.values().stream().mapToLong(Map::size).sum();
        long allowed = last.values().stream().flatMap(m -> m.values().stream()).filter(b -> b).count();
        log("connectivity matrix (" + cells + " cells, " + allowed + " allowed, " + (cells - allowed) + " refused; "
                + seen.size() + " probe round(s), last " + Duration.between(t0, Instant.now()).toMillis() + " ms in all):\n" + table(last));
        // The cells the issue names, spelled out.
        Map<String, Boolean> fromShopProd = last.get("shop-prod");
        assertThat(fromShopProd.get("vault-prod:8080")).as("declared peer on its port").isTrue();
        assertThat(fromShopProd.get("vault-prod:9090")).as("declared peer, other port").isFalse();
        assertThat(last.get("shop-staging").get("vault-prod:8080")).as("peer from its other environment").isFalse();
        assertThat(last.get("lab-dev").get("vault-prod:8080")).as("another product").isFalse();
        assertThat(last.get(INGRESS_NS).get("vault-prod:9090")).as("ingress controller").isTrue();
        assertThat(last.get(MONITORING_NS).get("shop-prod:9090")).as("monitoring").isTrue();
        Map<String, Boolean> fromVault = last.get("vault-prod");
        assertThat(fromVault.get("dns:53")).as("critical -> DNS").isTrue();
        assertThat(fromVault.get("dns:8080")).as("critical -> DNS pod, other port").isFalse();
        assertThat(fromVault.get("shop-prod:9090")).as("critical -> declared egress peer").isTrue();
        assertThat(fromVault.get("outside:8080")).as("critical -> declared CIDR").isTrue();
        assertThat(fromVault.get("outside:9090")).as("critical -> declared CIDR, other port").isFalse();
        assertThat(fromVault.get(INGRESS_NS + ":8080")).as("critical -> anything else").isFalse();
        assertThat(last.get("outside").get("lab-dev:8080")).as("sandbox in Audit: no policies, open").isTrue();
    }

    /** Acceptance 2: a namespace labelled to look like the peer (identity admission policy off) gets nothing. */
    @Test
    @Order(2)
    void aNamespaceLabelledAsThePeerGetsNothing() {
        Map<String, String> labels = client.namespaces().withName("impostor").get().getMetadata().getLabels();
        boolean fromImpostor = probeOne("impostor", "vault-prod", 8080);
        boolean toImpostor = probeOne("vault-prod", "impostor", 9090);
        boolean fromPeer = probeOne("shop-prod", "vault-prod", 8080);
        boolean toPeer = probeOne("vault-prod", "shop-prod", 9090);
        log("impostor labels " + labels + ": impostor -> vault-prod:8080 " + (fromImpostor ? "allowed" : "refused")
                + ", vault-prod -> impostor:9090 " + (toImpostor ? "allowed" : "refused") + "; the real peer shop-prod: -> vault-prod:8080 "
                + (fromPeer ? "allowed" : "refused") + ", vault-prod -> shop-prod:9090 " + (toPeer ? "allowed" : "refused"));
        assertThat(labels).containsEntry(Labels.PRODUCT, "shop").containsEntry(Labels.ENVIRONMENT, "prod");
        assertThat(fromImpostor).isFalse();
        assertThat(toImpostor).isFalse();
        assertThat(fromPeer).isTrue();
        assertThat(toPeer).isTrue();
    }

    /** A probe loop inside a source pod (a connect attempt started every 100 ms), each result line timestamped here. */
    static final class Prober implements AutoCloseable {
        record Sample(Instant at, boolean open) {
        }

        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        final Process process;
        final Thread reader;

        Prober(String srcNs, String dstNs, int port, int seconds) throws IOException {
            String ip = IPS.get(dstNs);
            // A new attempt every 100 ms, each in the background: an open path answers within milliseconds, a refused
            // one reports after the 1 s connect timeout (so an "N" line is up to 1 s late, a "Y" line is not).
            String script = "end=$(( $(date +%s) + " + seconds + " )); while [ $(date +%s) -lt $end ]; do "
                    + "( if timeout 2 nc -w 1 " + ip + " " + port + " </dev/null 2>/dev/null | grep -q ok; then echo Y; else echo N; fi ) & "
                    + "sleep 0.1; done; wait";
            process = new ProcessBuilder(Tools.bin("kubectl").toString(), "--kubeconfig", node.kubeconfig().toString(),
                    "exec", "-n", srcNs, srcPod(srcNs), "--", "sh", "-c", script)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        line = line.trim();
                        if (line.equals("Y") || line.equals("N")) {
                            samples.add(new Sample(Instant.now(), line.equals("Y")));
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "prober");
            reader.start();
        }

        List<Sample> snapshot() {
            synchronized (samples) {
                return new ArrayList<>(samples);
            }
        }

        void awaitSamples(int n) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> samples.size() >= n);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.descendants().forEach(ProcessHandle::destroy);
            reader.join(5000);
        }
    }

    static List<NetworkPolicy> managedPolicies(String ns) {
        return client.network().v1().networkPolicies().inNamespace(ns).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .list().getItems();
    }

    /** Deletes the given policies and waits until each is back under its name with a new uid: when that was. */
    static Instant deleteAndAwaitRepair(String ns, List<NetworkPolicy> policies, Duration atMost) {
        Map<String, String> uids = policies.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
        for (NetworkPolicy p : policies) {
            client.network().v1().networkPolicies().inNamespace(ns).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
        }
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, String> now = managedPolicies(ns).stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
            return uids.entrySet().stream().allMatch(e -> now.containsKey(e.getKey()) && !now.get(e.getKey()).equals(e.getValue()));
        });
        return Instant.now();
    }

    static String window(List<Prober.Sample> samples, Instant from) {
        List<Prober.Sample> open = samples.stream().filter(s -> s.open() && !s.at().isBefore(from)).toList();
        if (open.isEmpty()) {
            return "none";
        }
        return Duration.between(from, open.get(0).at()).toMillis() + ".." + Duration.between(from, open.get(open.size() - 1).at()).toMillis()
                + " ms after the deletion (" + open.size() + " open probes)";
    }

    /**
     * Acceptance 3: drift on packets, probed every 100 ms (lab-dev -> shop-prod:9090, refused by shop's policies).
     * Deleting every groundwork NetworkPolicy of shop-prod leaves it open at most until the repair; deleting
     * groundwork-default-deny alone opens nothing; with the operator scaled to 0 the probes see the opening, and it
     * closes once the operator is back.
     */
    @Test
    @Order(3)
    void driftOnPacketsIsRepairedAndAControlSeesTheOpening() throws Exception {
        String src = "lab-dev";
        String dst = "shop-prod";
        int port = 9090;
        assertThat(probeOne(src, dst, port)).as("%s -> %s:%d before", src, dst, port).isFalse();

        // 1. Every groundwork policy of shop-prod deleted, operator running.
        List<NetworkPolicy> all = managedPolicies(dst);
        assertThat(all).isNotEmpty();
        Instant deleted;
        Instant repaired;
        List<Prober.Sample> samples;
        try (Prober prober = new Prober(src, dst, port, 20)) {
            prober.awaitSamples(5);
            assertThat(prober.snapshot()).allSatisfy(s -> assertThat(s.open()).isFalse());
            deleted = Instant.now();
            repaired = deleteAndAwaitRepair(dst, all, Duration.ofSeconds(20));
            Instant settle = repaired.plusSeconds(5);
            await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(settle));
            samples = prober.snapshot();
        }
        List<Prober.Sample> after = samples.stream().filter(s -> !s.at().isBefore(deleted)).toList();
        log("drift, operator running: " + all.size() + " policies of " + dst + " deleted, repaired in "
                + Duration.between(deleted, repaired).toMillis() + " ms; open window " + window(samples, deleted) + "; "
                + after.size() + " probes after the deletion");
        // Open at most until the repair, plus the enforcer's sync (~3 s on this node).
        assertThat(after).filteredOn(Prober.Sample::open).allSatisfy(s -> assertThat(s.at()).isBefore(repaired.plusSeconds(4)));
        assertThat(after.get(after.size() - 1).open()).as("closed at the end").isFalse();

        // 2. groundwork-default-deny alone: the other policies still isolate the namespace; nothing opens.
        NetworkPolicy deny = client.network().v1().networkPolicies().inNamespace(dst).withName("groundwork-default-deny").get();
        try (Prober prober = new Prober(src, dst, port, 15)) {
            prober.awaitSamples(3);
            Instant t0 = Instant.now();
            Instant back = deleteAndAwaitRepair(dst, List.of(deny), Duration.ofSeconds(20));
            Instant settle = back.plusSeconds(4);
            await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(settle));
            samples = prober.snapshot();
            log("groundwork-default-deny alone deleted: repaired in " + Duration.between(t0, back).toMillis() + " ms; open window "
                    + window(samples, t0) + " (" + samples.size() + " probes)");
            assertThat(samples).allSatisfy(s -> assertThat(s.open()).isFalse());
        }

        // 3. Control: the operator stopped, the same deletion opens the path; it closes once the operator is back.
        node.kubectl("scale", "deployment/" + RELEASE, "-n", NS, "--replicas=0").ok("scale to 0");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                client.pods().inNamespace(NS).withLabel("app.kubernetes.io/name", "groundwork").list().getItems().isEmpty());
        try (Prober prober = new Prober(src, dst, port, 45)) {
            prober.awaitSamples(3);
            Instant t0 = Instant.now();
            for (NetworkPolicy p : managedPolicies(dst)) {
                client.resource(p).withGracePeriod(0).delete();
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> prober.snapshot().stream().anyMatch(s -> s.open() && s.at().isAfter(t0)));
            Instant opened = prober.snapshot().stream().filter(s -> s.open() && s.at().isAfter(t0)).findFirst().orElseThrow().at();
            Thread.sleep(3000);
            // Attempts started before the opening report their refusal up to 1 s late: count from 1.5 s after it.
            List<Prober.Sample> whileStopped = prober.snapshot().stream().filter(s -> s.at().isAfter(opened.plusMillis(1500))).toList();
            assertThat(whileStopped).as("open while the operator is stopped").isNotEmpty().allSatisfy(s -> assertThat(s.open()).isTrue());
            Instant restart = Instant.now();
            node.kubectl("scale", "deployment/" + RELEASE, "-n", NS, "--replicas=1").ok("scale to 1");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> managedPolicies(dst).size() == all.size());
            Instant policiesBack = Instant.now();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<Prober.Sample> s = prober.snapshot();
                return s.size() >= 3 && s.subList(s.size() - 3, s.size()).stream().noneMatch(Prober.Sample::open)
                        && s.get(s.size() - 1).at().isAfter(policiesBack);
            });
            Instant closed = prober.snapshot().stream().filter(s -> s.at().isAfter(restart) && !s.open()).findFirst().orElseThrow().at();
            log("control, operator scaled to 0: probes open " + Duration.between(t0, opened).toMillis() + " ms after the deletion ("
                    + whileStopped.size() + " open probes in the 1.5 s after that); operator scaled back: policies back after "
                    + Duration.between(restart, policiesBack).toMillis() + " ms, path closed "
                    + Duration.between(restart, closed).toMillis() + " ms after the scale-up");
        }
        node.kubectl("rollout", "status", "deployment/" + RELEASE, "-n", NS, "--timeout=2m").ok("rollout status");
    }

    /**
     * Acceptance 3, Audit: shop switched to Audit, every groundwork NetworkPolicy of shop-staging deleted: the path
     * opens and stays open, the drift is reported (InSync False, outstanding), nothing is written; back to Enforce, the
     * policies are repaired and the path closes.
     */
    @Test
    @Order(4)
    void inAuditDeletionsStayOpenAndAreReported() throws Exception {
        String src = "lab-dev";
        String dst = "shop-staging";
        int port = 9090;
        assertThat(probeOne(src, dst, port)).as("%s -> %s:%d before", src, dst, port).isFalse();
        List<NetworkPolicy> all = managedPolicies(dst);
        Products.apply(client, SHOP.formatted("Audit"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ProductPlatform p = product("shop");
            return p.getStatus() != null && p.getMetadata().getGeneration().equals(p.getStatus().observedGeneration());
        });
        try (Prober prober = new Prober(src, dst, port, 25)) {
            prober.awaitSamples(3);
            Instant t0 = Instant.now();
            for (NetworkPolicy p : all) {
                client.resource(p).withGracePeriod(0).delete();
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> prober.snapshot().stream().anyMatch(s -> s.open() && s.at().isAfter(t0)));
            Instant opened = prober.snapshot().stream().filter(s -> s.open() && s.at().isAfter(t0)).findFirst().orElseThrow().at();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                ProductPlatform p = product("shop");
                assertThat(Products.condition(p, "InSync")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
                assertThat(p.getStatus().drift()).isNotNull();
                assertThat(p.getStatus().drift().outstanding()).isNotEmpty();
            });
            Instant reported = Instant.now();
            Thread.sleep(3000);
            ProductPlatform p = product("shop");
            List<Prober.Sample> stillOpen = prober.snapshot().stream().filter(s -> s.at().isAfter(opened.plusMillis(1500))).toList();
            log("Audit: " + all.size() + " policies of " + dst + " deleted: path open " + Duration.between(t0, opened).toMillis()
                    + " ms after the deletion, reported after " + Duration.between(t0, reported).toMillis() + " ms (InSync "
                    + Products.condition(p, "InSync").orElseThrow().getReason() + ", " + p.getStatus().drift().outstanding().size()
                    + " outstanding), policies written since: " + managedPolicies(dst).size() + ", open probes at the end "
                    + stillOpen.stream().filter(Prober.Sample::open).count() + "/" + stillOpen.size());
            assertThat(managedPolicies(dst)).as("nothing written in Audit").isEmpty();
            assertThat(stillOpen).isNotEmpty().allSatisfy(s -> assertThat(s.open()).isTrue());
        }
        Instant enforce = Instant.now();
        Products.apply(client, SHOP.formatted("Enforce"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> managedPolicies(dst).size() == all.size());
        Instant repaired = Instant.now();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> !probeOne(src, dst, port));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(Products.isTrue(product("shop"), "Ready")).isTrue());
        log("back to Enforce: policies repaired after " + Duration.between(enforce, repaired).toMillis() + " ms, path closed after "
                + Duration.between(enforce, Instant.now()).toMillis() + " ms");
    }

    /** Acceptance 5: a peer product created after the first: its traffic flows within 5 s of its namespace appearing. */
    @Test
    @Order(5)
    void aPeerCreatedLaterFlowsWithinSeconds() throws Exception {
        Products.apply(client, """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: cart
                  labels: {groundwork.dev/canary: "true"}
                spec:
                  team: cart-team
                  tier: standard
                  mode: Enforce
                  environments:
                    - name: prod
                """);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> client.namespaces().withName("cart-prod").get() != null);
        Instant appeared = Instant.now();
        applyPod("cart-prod", "srv", false);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Pod p = client.pods().inNamespace("cart-prod").withName("srv").get();
            return p != null && running(p);
        });
        Instant podReady = Instant.now();
        IPS.put("cart-prod", ip("cart-prod", "srv"));
        Instant flowing;
        try (Prober prober = new Prober("cart-prod", "vault-prod", 8080, 15)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> prober.snapshot().stream().anyMatch(Prober.Sample::open));
            flowing = prober.snapshot().stream().filter(Prober.Sample::open).findFirst().orElseThrow().at();
        }
        log("cart-prod appeared; its pod Ready after " + Duration.between(appeared, podReady).toMillis()
                + " ms; cart-prod -> vault-prod:8080 flowing " + Duration.between(appeared, flowing).toMillis()
                + " ms after the namespace appeared");
        assertThat(Duration.between(appeared, flowing)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(probeOne("cart-prod", "vault-prod", 9090)).as("cart -> vault on the undeclared port").isFalse();
    }

    static PlatformStandard standard() {
        return Standards.current(client);
    }

    static String revisionOf(String product) {
        ProductPlatform p = product(product);
        return p == null || p.getStatus() == null ? null : p.getStatus().standardRevision();
    }

    static boolean deploymentAvailable(String ns, String name) {
        var d = client.apps().deployments().inNamespace(ns).withName(name).get();
        return d != null && d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static void patchStandard(String json) throws IOException {
        Path file = Files.createTempFile(Node.REPORTS, "pstd-patch-", ".json");
        Files.writeString(file, json);
        node.kubectl("patch", "pstd", "default", "--type", "merge", "--patch-file", file.toString()).ok("patch pstd default");
    }

    /**
     * Acceptance 4: cart (canary wave) runs a Deployment whose readiness probe connects to its declared peer
     * (vault-prod:8080, `nc` in an exec probe). `tiers.standard.egress: deny` cuts that path: the real pods turn
     * unready, the rollout halts at the canary wave, later waves untouched; `groundwork.dev/rollout=rollback` restores
     * path and readiness. Soak and progressDeadline are seconds.
     */
    @Test
    @Order(6)
    void aChangeThatCutsAReadinessPathHaltsAtTheCanaryAndRollsBack() throws Exception {
        String vaultIp = IPS.get("vault-prod");
        Path file = Files.createTempFile(Node.REPORTS, "gate-", ".yaml");
        Files.writeString(file, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: gate, namespace: cart-prod}
                spec:
                  replicas: 1
                  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
                  selector: {matchLabels: {app: gate}}
                  template:
                    metadata: {labels: {app: gate}}
                    spec:
                      terminationGracePeriodSeconds: 0
                      securityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: {type: RuntimeDefault}}
                      containers:
                        - name: gate
                          image: %s
                          imagePullPolicy: IfNotPresent
                          command: [sh, -c, "exec sleep 100000"]
                          readinessProbe:
                            exec: {command: [sh, -c, "timeout 2 nc -w 1 %s 8080 </dev/null | grep -q ok"]}
                            periodSeconds: 1
                            timeoutSeconds: 3
                            failureThreshold: 1
                            successThreshold: 1
                          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                          resources: {requests: {cpu: 5m, memory: 8Mi}, limits: {cpu: 100m, memory: 32Mi}}
                """.formatted(IMAGE, vaultIp));
        node.kubectl("apply", "-f", file.toString()).ok("apply deployment gate");
        await().ignoreExceptions().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> deploymentAvailable("cart-prod", "gate"));

        // Waves of seconds (rollout settings are not part of the revision: no product moves for this). The canary soaks
        // longer than the progress deadline plus the operator's workload-check interval (10 s), so that a lost
        // readiness is seen before the soak ends.
        patchStandard("""
                {"spec": {"rollout": {"strategy": "Waves", "progressDeadline": "15s", "maxFailures": 0, "waves": [
                  {"name": "canary", "selector": {"matchLabels": {"groundwork.dev/canary": "true"}}, "soak": "40s"},
                  {"name": "sandbox", "tiers": ["sandbox"], "soak": "5s"},
                  {"name": "standard", "tiers": ["standard"], "soak": "5s"},
                  {"name": "critical", "tiers": ["critical"]}]}}}
                """);
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            PlatformStandard s = standard();
            return s.getStatus() != null && s.getStatus().rollout() != null && RolloutPhase.Complete == s.getStatus().rollout().phase();
        });
        String before = standard().getStatus().revision();
        Map<String, String> revisions = new LinkedHashMap<>();
        for (String p : List.of("cart", "shop", "vault", "lab")) {
            revisions.put(p, revisionOf(p));
        }
        assertThat(revisions.values()).containsOnly(before);

        Instant changed = Instant.now();
        patchStandard("{\"spec\": {\"tiers\": {\"standard\": {\"egress\": \"deny\"}}}}");
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !before.equals(revisionOf("cart")));
        Instant cartMoved = Instant.now();
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !deploymentAvailable("cart-prod", "gate"));
        Instant unready = Instant.now();
        PlatformStandard halted = await().ignoreExceptions().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(ConnectivityNodeIT::standard,
                s -> s.getStatus() != null && s.getStatus().rollout() != null && RolloutPhase.Halted == s.getStatus().rollout().phase());
        Instant haltedAt = Instant.now();
        var rollout = halted.getStatus().rollout();
        log("standard change tiers.standard.egress: deny: cart on the new revision after " + Duration.between(changed, cartMoved).toMillis()
                + " ms, Deployment gate unavailable after " + Duration.between(changed, unready).toMillis() + " ms, rollout Halted at wave "
                + rollout.wave() + " after " + Duration.between(changed, haltedAt).toMillis() + " ms; failures "
                + rollout.waves().stream().filter(w -> w.name().equals("canary")).findFirst().orElseThrow().failures());
        assertThat(rollout.wave()).isEqualTo("canary");
        for (String p : List.of("shop", "vault", "lab")) {
            assertThat(revisionOf(p)).as("%s (a later wave) untouched", p).isEqualTo(before);
        }
        assertThat(probeOne("shop-prod", "vault-prod", 8080)).as("shop (later wave) still reaches vault").isTrue();

        Instant rollback = Instant.now();
        node.kubectl("annotate", "pstd", "default", "groundwork.dev/rollout=rollback").ok("annotate rollback");
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> before.equals(revisionOf("cart")));
        Instant back = Instant.now();
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> deploymentAvailable("cart-prod", "gate"));
        Instant ready = Instant.now();
        log("rollback: cart back on " + before + " after " + Duration.between(rollback, back).toMillis()
                + " ms, Deployment gate Available again after " + Duration.between(rollback, ready).toMillis() + " ms");
        assertThat(probeOne("cart-prod", "vault-prod", 8080)).as("path restored").isTrue();
        for (String p : List.of("shop", "vault", "lab")) {
            assertThat(revisionOf(p)).as("%s never moved", p).isEqualTo(before);
        }
    }
}
