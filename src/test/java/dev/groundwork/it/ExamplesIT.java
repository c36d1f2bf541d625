package dev.groundwork.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command end to end, with the packaged Quarkus operator: it starts its own pinned API server,
 * installs crds/, applies examples/ and waits for them; this test then checks every baseline object against
 * golden files, the Audit example against "nothing written", and that Ctrl-C leaves nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesIT {
    private static final List<String> ENFORCED = List.of("payments", "storefront");
    private static LocalRun run;

    @BeforeAll
    static void start() throws Exception {
        run = new LocalRun();
        run.awaitReady(Duration.ofMinutes(4));
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Kubectl.binary().toString(), "--kubeconfig",
                run.kubeconfig().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    @Order(1)
    void enforcedExamplesAreReadyAndShownWithTheirConditions() throws Exception {
        assertThat(kubectl("wait", "--for=condition=Ready", "productplatform/payments", "productplatform/storefront",
                "--timeout=10s")).contains("condition met");
        assertThat(run.output()).contains("NAME", "TEAM", "TIER", "MODE", "READY", "IN-SYNC", "DRIFTS", "AGE")
                .contains("Ready=True Ready: The product meets the standard");
        String standardHeader = run.output().lines().filter(l -> l.startsWith("NAME ") && l.contains("REVISION"))
                .findFirst().orElseThrow();
        assertThat(standardHeader.split("\\s+")).containsExactly("NAME", "REVISION", "ROLLOUT", "WAVE", "UPDATED", "READY", "AGE");
        assertThat(run.output()).containsPattern("(?m)^default +[0-9a-f]{7} ");
        String header = run.output().lines().filter(l -> l.startsWith("NAME ") && l.contains("TEAM")).findFirst().orElseThrow();
        assertThat(header.split("\\s+")).containsExactly("NAME", "TEAM", "TIER", "MODE", "READY", "IN-SYNC", "DRIFTS",
                "AGE", "REVISION");
    }

    @Test
    @Order(2)
    void theOperatorHoldsTheLeaderElectionLease() throws Exception {
        assertThat(kubectl("get", "lease", "groundwork-leader", "-n", "groundwork-system", "-o",
                "jsonpath={.spec.holderIdentity}")).isNotBlank();
    }

    @Test
    @Order(2)
    void everyBaselineObjectEqualsItsGoldenFile() throws Exception {
        // payments names storefront as a peer: its rule follows storefront's namespaces, which may appear after
        // payments was first Ready, so the comparison waits for that one event-driven update.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> live = new TreeMap<>();
            for (String product : ENFORCED) {
                String selector = "groundwork.dev/product=" + product;
                live.putAll(Golden.normalise(kubectl("get", "namespaces", "-l", selector, "-o", "json")));
                live.putAll(Golden.normalise(kubectl("get", "networkpolicies,resourcequotas,limitranges,rolebindings", "-A", "-l",
                        selector, "-o", "json")));
            }
            // payments (critical): 2 namespaces x (Namespace, 7 NetworkPolicies, quota, limits, team RoleBinding);
            // storefront (standard, egress allowed): 3 x (Namespace, 4 NetworkPolicies, quota, limits, team RoleBinding)
            assertThat(live.keySet()).hasSize(2 * 11 + 3 * 8);
            if (Golden.UPDATE) {
                Golden.write(live);
            }
            Map<String, String> golden = new TreeMap<>();
            for (String namespace : live.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().toList()) {
                golden.putAll(Golden.read(namespace));
            }
            assertThat(live).containsExactlyInAnyOrderEntriesOf(golden);
        });
    }

    @Test
    @Order(3)
    void auditExampleWritesNothingAndSaysWhatEnforceWouldCreate() throws Exception {
        String selector = "groundwork.dev/product=ml-sandbox";
        assertThat(kubectl("get", "namespaces,networkpolicies,resourcequotas,limitranges,rolebindings", "-A", "-l", selector))
                .contains("No resources found");
        assertThat(kubectl("get", "namespace", "ml-sandbox-dev", "--ignore-not-found")).isBlank();
        String conditions = kubectl("get", "productplatform", "ml-sandbox", "-o",
                "jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}: {.message}{\"\\n\"}{end}");
        assertThat(conditions).contains("Ready=False/DriftReported")
                .contains("NamespacesReady=False/DriftReported: Audit mode: 1 object differs from the standard: "
                        + "Namespace ml-sandbox-dev (missing)")
                .contains("NetworkingReady=False/DriftReported: Audit mode: 4 objects differ")
                .contains("StorageReady=False/DriftReported: Audit mode: 3 objects differ from the standard: "
                        + "ResourceQuota ml-sandbox-dev/groundwork-storage (missing), LimitRange ml-sandbox-dev/groundwork-storage (missing), "
                        + "Namespace ml-sandbox-dev (missing)")
                .contains("LoggingReady=False/DriftReported: Audit mode: 1 object differs from the standard: Namespace ml-sandbox-dev (missing)")
                .contains("AccessReady=False/DriftReported: Audit mode: 1 object differs from the standard: "
                        + "RoleBinding ml-sandbox-dev/groundwork-team (missing)")
                .contains("InSync=False/DriftReported");
    }

    @Test
    @Order(4)
    void prometheusMetricsShowTheDriftThisTestCauses() throws Exception {
        String uid = kubectl("get", "networkpolicy", "groundwork-default-deny", "-n", "payments-prod", "-o", "jsonpath={.metadata.uid}");
        kubectl("delete", "networkpolicy", "groundwork-default-deny", "-n", "payments-prod");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> !kubectl("get",
                "networkpolicy", "groundwork-default-deny", "-n", "payments-prod", "-o", "jsonpath={.metadata.uid}").equals(uid));
        String labels = "area=\"networking\",kind=\"NetworkPolicy\",product=\"payments\"";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("groundwork_drift_detected_total{" + labels + "} 1.0")
                .contains("groundwork_drift_repaired_total{" + labels + "} 1.0")
                .contains("groundwork_products{ready=\"true\"} 2.0")
                .contains("groundwork_products{ready=\"false\"} 1.0")
                .containsPattern("operator_sdk_controllers_execution_reconcile_seconds_count\\{[^}]*controller=\"groundwork\"[^}]*} [1-9]")
                .contains("groundwork_drift_detected_total{area=\"namespaces\",kind=\"Namespace\",product=\"ml-sandbox\"} 1.0"));
    }

    private static String scrape() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(run.metricsUrl())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The fleet metrics: no product label, so their series do not grow with the number of products. */
    private static final List<String> FLEET_METRICS = List.of("groundwork_products", "groundwork_products_in_drift",
            "groundwork_products_by_revision", "groundwork_drift_time_to_repair_seconds", "groundwork_drift_time_in_drift_seconds");

    private static List<String> fleetSeries(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .filter(l -> FLEET_METRICS.stream().anyMatch(m -> l.startsWith(m + "{") || l.startsWith(m + " ")
                        || l.startsWith(m + "_bucket{") || l.startsWith(m + "_count{") || l.startsWith(m + "_sum{")
                        || l.startsWith(m + "_max{")))
                .toList();
    }

    private static double sum(String scrape, String metric) {
        return scrape.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(5)
    void histogramsCountTheDriftsThisTestCausedAndFleetSeriesDoNotGrowWithProducts() throws Exception {
        // Order 4 deleted one NetworkPolicy of payments (critical): one drift, repaired; ml-sandbox's Audit drift is
        // still outstanding, so it has not ended.
        String before = scrape();
        assertThat(sum(before, "groundwork_drift_time_to_repair_seconds_count")).isEqualTo(1.0);
        assertThat(before).contains("groundwork_drift_time_to_repair_seconds_count{area=\"networking\",tier=\"critical\"} 1.0")
                .contains("groundwork_drift_time_in_drift_seconds_count{area=\"networking\",tier=\"critical\"} 1.0")
                .contains("groundwork_products_in_drift{tier=\"sandbox\"} 1.0")
                .contains("groundwork_products_in_drift{tier=\"critical\"} 0.0")
                .containsPattern("groundwork_products_by_revision\\{revision=\"[0-9a-f]+\"} 3.0");
        assertThat(sum(before, "groundwork_drift_time_in_drift_seconds_count")).isEqualTo(1.0);
        List<String> seriesBefore = fleetSeries(before);

        Path more = Files.createTempFile("groundwork-fleet", ".yaml");
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            yaml.append("""
                    apiVersion: groundwork.dev/v1alpha1
                    kind: ProductPlatform
                    metadata:
                      name: fleet-%d
                    spec:
                      team: fleet
                      tier: %s
                      environments:
                        - name: dev
                    ---
                    """.formatted(i, i % 2 == 0 ? "sandbox" : "standard"));
        }
        Files.writeString(more, yaml);
        try {
            kubectl("apply", "-f", more.toString());
            kubectl("wait", "--for=condition=Ready", "productplatform/fleet-1", "productplatform/fleet-2",
                    "productplatform/fleet-3", "productplatform/fleet-4", "productplatform/fleet-5", "--timeout=60s");
        } finally {
            Files.deleteIfExists(more);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape()).containsPattern("groundwork_products_by_revision\\{revision=\"[0-9a-f]+\"} 8.0"));
        List<String> seriesAfter = fleetSeries(scrape());
        System.out.printf("fleet metrics: %d series with 3 products, %d with 8%n", seriesBefore.size(), seriesAfter.size());
        assertThat(seriesAfter).hasSameSizeAs(seriesBefore);
        assertThat(seriesAfter.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList())
                .containsExactlyInAnyOrderElementsOf(seriesBefore.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList());
    }

    /** Every query of the chart's Grafana dashboard names a metric the packaged operator exports. */
    @Test
    @Order(5)
    void everyDashboardQueryNamesAMetricTheOperatorExports() throws Exception {
        String scrape = scrape();
        java.util.Set<String> exported = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(java.util.stream.Collectors.toSet());
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("helm/groundwork/dashboards/groundwork.json").toFile());
        List<String> queries = new java.util.ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> queries.add(t.get("expr").asText())));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b((groundwork|operator_sdk)_[a-z_]+)\\b");
        for (String query : queries) {
            List<String> names = metric.matcher(query).results().map(m -> m.group(1)).toList();
            assertThat(names).as("metrics named in %s", query).isNotEmpty();
            assertThat(exported).as("query %s", query).containsAll(names);
        }
        System.out.printf("dashboard: %d queries, every metric they name is exported%n", queries.size());
    }

    @Test
    @Order(6)
    void ctrlCStopsEverythingAndRemovesTemporaryFiles() throws Exception {
        Path work = run.kubeconfig().getParent();
        assertThat(Files.isDirectory(work)).isTrue();
        // This checkout's operator only: another checkout's (a benchmark, say) may run on the same machine.
        String operator = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString();
        List<ProcessHandle> started = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString()) || c.contains(operator)).orElse(false))
                .toList();
        assertThat(started).hasSizeGreaterThanOrEqualTo(2);
        assertThat(run.interrupt()).isEqualTo(130);
        assertThat(run.output()).contains("run-local: stopped every process and removed " + work);
        assertThat(Files.exists(work)).isFalse();
        assertThat(started).noneMatch(ProcessHandle::isAlive);
    }
}
