package dev.groundwork.it.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.it.Helm;
import dev.groundwork.it.TestOperator;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.it.helm.Manifests.Obj;
import dev.groundwork.standard.StandardLoader;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.groundwork.it.helm.Manifests.container;
import static dev.groundwork.it.helm.Manifests.env;
import static dev.groundwork.it.helm.Manifests.list;
import static dev.groundwork.it.helm.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Acceptance 1, and what the chart promises besides: the pinned helm lints the chart and renders it with its
 * defaults and with a non-default values file; values.schema.json (and the chart's cross-value checks) reject bad
 * values with a message naming the value; the rendered objects are what SPEC section 6 and the issue ask for.
 */
class ChartIT {
    private static final String CHART = Helm.CHART.toString();
    private static final String NAMESPACE = "groundwork-system";
    /**
     * The standard (PlatformStandard default); two Roles with their bindings: the Lease and the standard's
     * ControllerRevisions; three admission policies, each with its binding: storage classes, namespace identity, team
     * bindings.
     */
    private static final List<String> DEFAULT_KINDS = List.of("ServiceAccount", "PlatformStandard", "ClusterRole",
            "ClusterRoleBinding", "Role", "RoleBinding", "Role", "RoleBinding", "Service", "Deployment", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    private static final String NON_DEFAULT = """
            image:
              repository: registry.example.com/platform/groundwork
              digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
              pullPolicy: Always
            imagePullSecrets:
              - name: registry-credentials
            replicas: 3
            log:
              level: DEBUG
              format: json
            resync: 2m
            resources:
              requests: {cpu: 250m, memory: 384Mi}
              limits: {memory: 768Mi}
            metrics:
              serviceMonitor:
                enabled: true
                interval: 15s
                labels:
                  release: kube-prometheus-stack
            podAnnotations:
              team: platform
            nodeSelector:
              kubernetes.io/os: linux
            tolerations:
              - {key: dedicated, operator: Equal, value: platform, effect: NoSchedule}
            standard:
              tiers:
                sandbox:
                  egress: deny
              storage:
                allowedClasses: [standard-rwo, fast-rwo, standard-rwx, archive-rwx]
              environments: [prod, staging, dev, perf]
            """;

    private static List<Obj> template(String... values) {
        List<String> args = new ArrayList<>(List.of("template", "groundwork", CHART, "--namespace", NAMESPACE));
        for (String v : values) {
            args.add("--values");
            args.add(ChartRelease.valuesFile(v).toString());
        }
        return Manifests.parse(Helm.ok(Helm.run(args.toArray(String[]::new))));
    }

    /** The spec of the rendered PlatformStandard default, the standard the operator reads. */
    private static JsonNode standardSpec(List<Obj> objects) {
        Obj standard = Manifests.get(objects, "PlatformStandard");
        assertThat(standard.apiVersion()).isEqualTo("groundwork.dev/v1alpha1");
        assertThat(standard.name()).isEqualTo("default");
        return Manifests.YAML.valueToTree(map(standard.tree(), "spec"));
    }

    private static Obj named(List<Obj> objects, String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects));
    }

    private static Helm.Result templateFails(String values) {
        Helm.Result result = Helm.run("template", "groundwork", CHART, "--values", ChartRelease.valuesFile(values).toString());
        assertThat(result.ok()).as("rendered although invalid:\n%s", values).isFalse();
        return result;
    }

    static String operatorVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
    }

    @Test
    void helmLintPassesStrictlyWithDefaultAndNonDefaultValues() {
        Helm.Result lint = Helm.run("lint", "--strict", CHART);
        assertThat(lint.ok()).as(lint.toString()).isTrue();
        assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
        Helm.Result custom = Helm.run("lint", "--strict", CHART, "--values", ChartRelease.valuesFile(NON_DEFAULT).toString());
        assertThat(custom.ok()).as(custom.toString()).isTrue();
    }

    @Test
    void rendersWithDefaults() throws Exception {
        List<Obj> objects = template();
        assertThat(objects).extracting(Obj::kind).containsExactlyInAnyOrderElementsOf(DEFAULT_KINDS);
        Set<String> clusterScoped = Set.of("PlatformStandard", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding");
        for (Obj o : objects) {
            assertThat(o.namespace()).as(o.toString()).isEqualTo(clusterScoped.contains(o.kind()) ? null : NAMESPACE);
            assertThat(map(o.metadata(), "labels")).as(o.toString()).containsEntry("app.kubernetes.io/instance", "groundwork")
                    .containsEntry("app.kubernetes.io/managed-by", "Helm");
        }

        Obj deployment = Manifests.get(objects, "Deployment");
        assertThat(map(deployment.tree(), "spec").get("replicas")).isEqualTo(1);
        Map<String, Object> container = container(deployment);
        assertThat(container.get("image")).isEqualTo("groundwork/operator:" + operatorVersion());
        assertThat(env(container)).containsExactly(
                entry("GROUNDWORK_OPERATOR_NAMESPACE", "fieldRef:metadata.namespace"),
                entry("GROUNDWORK_LEADER_ELECTION_ENABLED", "true"),
                entry("GROUNDWORK_RESYNC", "10m"),
                entry("QUARKUS_LOG_LEVEL", "INFO"),
                entry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"),
                entry("QUARKUS_HTTP_PORT", "8080"),
                // run-java.sh: heap as a share of the memory limit; the image's own options kept, jvm.options after them
                entry("JAVA_MAX_MEM_RATIO", "50"),
                entry("JAVA_OPTS_APPEND", "-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager "
                        + "-XX:TieredStopAtLevel=1 -XX:NewRatio=4"),
                // the serial collector in place of the image's parallel one, and at most 2 glibc malloc arenas
                entry("GC_CONTAINER_OPTIONS", "-XX:+UseSerialGC"),
                entry("MALLOC_ARENA_MAX", "2"));
        assertThat(map(container, "resources")).isEqualTo(Map.of("requests", Map.of("cpu", "100m", "memory", "256Mi"),
                "limits", Map.of("memory", "512Mi")));

        // Restricted Pod Security, read-only root filesystem, non-root.
        Map<String, Object> pod = map(deployment.tree(), "spec", "template", "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(map(container, "securityContext")).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true).containsEntry("runAsNonRoot", true)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(pod.get("serviceAccountName")).isEqualTo(Manifests.get(objects, "ServiceAccount").name());
        // Probes on Quarkus health, on the port the Service scrapes.
        assertThat(map(container, "startupProbe", "httpGet")).containsEntry("path", "/q/health/started").containsEntry("port", "http");
        assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("path", "/q/health/live").containsEntry("port", "http");
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/q/health/ready").containsEntry("port", "http");
        assertThat(list(container, "ports")).containsExactly(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
        Obj service = Manifests.get(objects, "Service");
        assertThat(list(service.tree(), "spec", "ports")).containsExactly(
                Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
        assertThat(map(service.tree(), "spec", "selector")).isEqualTo(map(deployment.tree(), "spec", "selector", "matchLabels"));

        // The standard is an API object the operator watches, not a file it reads at start-up: no volume, no
        // checksum annotation, nothing that restarts the pods when it changes.
        assertThat(list(pod, "volumes")).containsExactly(Map.of("name", "tmp", "emptyDir", Map.of("sizeLimit", "64Mi")));
        assertThat(list(container, "volumeMounts")).containsExactly(Map.of("name", "tmp", "mountPath", "/tmp"));
        assertThat(map(deployment.tree(), "spec", "template", "metadata")).doesNotContainKey("annotations");
        assertThat(standardSpec(objects).at("/tiers/critical/egress").asText()).isEqualTo("deny");

        // The Lease Role and the standard's revisions Role are bound to the operator's account in its namespace.
        assertThat(list(named(objects, "Role", "groundwork-leader-election").tree(), "rules")).containsExactlyInAnyOrder(
                Map.of("apiGroups", List.of("coordination.k8s.io"), "resources", List.of("leases"), "verbs", List.of("create")),
                Map.of("apiGroups", List.of("coordination.k8s.io"), "resources", List.of("leases"),
                        "resourceNames", List.of("groundwork-leader"), "verbs", List.of("get", "update", "patch")));
        assertThat(list(named(objects, "Role", "groundwork-standard-revisions").tree(), "rules")).containsExactly(
                rule("apps", "controllerrevisions", List.of("get", "list", "watch", "create", "delete")));
        for (Obj binding : List.of(named(objects, "RoleBinding", "groundwork-leader-election"),
                named(objects, "RoleBinding", "groundwork-standard-revisions"), Manifests.get(objects, "ClusterRoleBinding"))) {
            assertThat(list(binding.tree(), "subjects")).as(binding.toString()).containsExactly(Map.of("kind", "ServiceAccount",
                    "name", "groundwork", "namespace", NAMESPACE));
            assertThat(map(binding.tree(), "roleRef").get("name")).isEqualTo(binding.name());
        }
        assertThat(Manifests.find(objects, "PodDisruptionBudget")).isEmpty();
        assertThat(Manifests.find(objects, "ServiceMonitor")).isEmpty();
    }

    @Test
    void rendersWithANonDefaultValuesFile() {
        List<Obj> objects = template(NON_DEFAULT);
        List<String> kinds = new ArrayList<>(DEFAULT_KINDS);
        kinds.addAll(List.of("PodDisruptionBudget", "ServiceMonitor"));
        assertThat(objects).extracting(Obj::kind).containsExactlyInAnyOrderElementsOf(kinds);

        Obj deployment = Manifests.get(objects, "Deployment");
        assertThat(map(deployment.tree(), "spec").get("replicas")).isEqualTo(3);
        Map<String, Object> pod = map(deployment.tree(), "spec", "template", "spec");
        Map<String, Object> container = container(deployment);
        assertThat(container.get("image")).isEqualTo("registry.example.com/platform/groundwork@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(container.get("imagePullPolicy")).isEqualTo("Always");
        assertThat(env(container)).contains(entry("GROUNDWORK_LEADER_ELECTION_ENABLED", "true"),
                entry("QUARKUS_LOG_LEVEL", "DEBUG"), entry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"),
                entry("GROUNDWORK_RESYNC", "2m"));
        assertThat(map(container, "resources", "limits")).containsEntry("memory", "768Mi");
        assertThat(list(pod, "imagePullSecrets")).containsExactly(Map.of("name", "registry-credentials"));
        assertThat(map(pod, "nodeSelector")).containsEntry("kubernetes.io/os", "linux");
        assertThat(list(pod, "tolerations")).hasSize(1);
        assertThat(map(deployment.tree(), "spec", "template", "metadata", "annotations")).containsExactly(entry("team", "platform"));

        Obj pdb = Manifests.get(objects, "PodDisruptionBudget");
        assertThat(map(pdb.tree(), "spec")).containsEntry("minAvailable", 1)
                .containsEntry("selector", Map.of("matchLabels", map(deployment.tree(), "spec", "selector", "matchLabels")));
        Obj monitor = Manifests.get(objects, "ServiceMonitor");
        assertThat(monitor.apiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(map(monitor.metadata(), "labels")).containsEntry("release", "kube-prometheus-stack");
        assertThat(list(monitor.tree(), "spec", "endpoints")).containsExactly(Map.of("port", "http", "path", "/q/metrics",
                "interval", "15s", "scrapeTimeout", "10s"));

        // values.standard is merged over the chart's defaults, key by key; lists replace.
        JsonNode tree = standardSpec(objects);
        assertThat(tree.at("/storage/allowedClasses").toString()).contains("archive-rwx");
        assertThat(tree.at("/environments/3").asText()).isEqualTo("perf");
        assertThat(tree.at("/tiers/sandbox/egress").asText()).isEqualTo("deny");
        assertThat(tree.at("/tiers/sandbox/storage/ceilingTotal").asText()).isEqualTo("50Gi");
        assertThat(tree.at("/environments").size()).isEqualTo(4);
    }

    @Test
    void theNamespaceIdentityPolicyExemptsExactlyTheReleasesServiceAccount() {
        List<Obj> objects = template();
        Obj policy = objects.stream().filter(o -> o.kind().equals("ValidatingAdmissionPolicy")
                && o.name().equals("groundwork-namespace-identity")).findFirst().orElseThrow();
        Map<String, Object> spec = map(policy.tree(), "spec");
        assertThat(spec.get("failurePolicy")).isEqualTo("Fail");
        assertThat(Manifests.list(spec, "matchConditions")).singleElement().satisfies(condition -> assertThat(
                Manifests.map(condition).get("expression"))
                .isEqualTo("request.userInfo.username != 'system:serviceaccount:groundwork-system:groundwork'"));
        assertThat(Manifests.list(map(spec, "matchConstraints"), "resourceRules")).singleElement()
                .satisfies(rule -> assertThat(Manifests.map(rule)).containsEntry("resources", List.of("namespaces"))
                        .containsEntry("operations", List.of("CREATE", "UPDATE")));
        assertThat(objects).filteredOn(o -> o.kind().equals("ValidatingAdmissionPolicyBinding")
                && o.name().equals("groundwork-namespace-identity")).singleElement()
                .satisfies(binding -> assertThat(map(binding.tree(), "spec")).containsEntry("policyName", "groundwork-namespace-identity")
                        .containsEntry("validationActions", List.of("Deny")));
    }

    @Test
    void optionalObjectsFollowTheirSwitches() {
        List<Obj> objects = template("""
                storagePolicy: {enabled: false}
                namespaceIdentityPolicy: {enabled: false}
                accessPolicy: {enabled: false}
                metrics: {enabled: false, serviceMonitor: {enabled: true}}
                leaderElection: {enabled: false}
                """);
        // The standard and its revisions' Role stay: the operator needs them whatever the switches say.
        assertThat(objects).extracting(Obj::kind).containsExactlyInAnyOrder("ServiceAccount", "PlatformStandard", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment");
        assertThat(Manifests.get(objects, "Role").name()).isEqualTo("groundwork-standard-revisions");
        assertThat(env(container(Manifests.get(objects, "Deployment")))).contains(entry("GROUNDWORK_LEADER_ELECTION_ENABLED", "false"));
        assertThat(template("replicas: 2")).extracting(Obj::kind).contains("PodDisruptionBudget", "Role", "RoleBinding");
    }

    @Test
    void aChangedStandardLeavesTheDeploymentsPodTemplateUnchanged() {
        List<Obj> defaults = template();
        Object podTemplate = map(Manifests.get(defaults, "Deployment").tree(), "spec", "template");
        for (String change : List.of("standard: {tiers: {standard: {egress: deny}}}",
                "standard: {environments: [prod, staging, dev, qa]}",
                "standard: {tiers: {sandbox: {storage: {defaultTotal: 30Gi}}}, rollout: {paused: true}}")) {
            List<Obj> changed = template(change);
            assertThat(standardSpec(changed)).as(change).isNotEqualTo(standardSpec(defaults));
            assertThat(map(Manifests.get(changed, "Deployment").tree(), "spec", "template")).as(change).isEqualTo(podTemplate);
            // Only the PlatformStandard differs.
            assertThat(changed.stream().filter(o -> !o.kind().equals("PlatformStandard")).toList())
                    .isEqualTo(defaults.stream().filter(o -> !o.kind().equals("PlatformStandard")).toList());
        }
    }

    @Test
    void theGrafanaDashboardIsAConfigMapForTheSidecarOffByDefault() throws Exception {
        assertThat(template()).noneMatch(o -> o.kind().equals("ConfigMap") && o.name().endsWith("-dashboard"));
        List<Obj> objects = template("""
                dashboard:
                  enabled: true
                  labels: {grafana_dashboard: "1"}
                  annotations: {grafana_folder: Platform}
                """);
        Obj dashboard = objects.stream().filter(o -> o.kind().equals("ConfigMap") && o.name().equals("groundwork-dashboard"))
                .findFirst().orElseThrow();
        assertThat(map(dashboard.metadata(), "labels")).containsEntry("grafana_dashboard", "1");
        assertThat(map(dashboard.metadata(), "annotations")).containsEntry("grafana_folder", "Platform");
        String json = (String) map(dashboard.tree(), "data").get("groundwork.json");
        JsonNode tree = Manifests.YAML.readTree(json);
        assertThat(tree).isEqualTo(Manifests.YAML.readTree(Helm.CHART.resolve("dashboards/groundwork.json").toFile()));
        assertThat(tree.get("panels").size()).isGreaterThanOrEqualTo(8);
        assertThat(templateFails("dashboard: {enabled: true, sidecar: true}").stderr())
                .contains("additional properties 'sidecar' not allowed");
    }

    @Test
    void badValuesAreRejectedWithTheSchemasMessage() {
        String schema = "values don't meet the specifications of the schema(s) in the following chart(s):\ngroundwork:\n";
        assertThat(templateFails("replicas: two\n").stderr()).contains(schema + "- at '/replicas': got string, want integer");
        assertThat(templateFails("""
                standard:
                  tiers:
                    gold:
                      egress: deny
                """).stderr()).contains(schema + "- at '/standard/tiers': additional properties 'gold' not allowed");
        assertThat(templateFails("standard: {tiers: {standard: {storage: {ceilingClaims: many}}}}").stderr())
                .contains("- at '/standard/tiers/standard/storage/ceilingClaims': got string, want integer");
        assertThat(templateFails("log: {format: xml}").stderr()).contains("- at '/log/format': value must be one of 'plain', 'json'");
        assertThat(templateFails("standard: {tiers: {critical: {egress: sometimes}}}").stderr())
                .contains("- at '/standard/tiers/critical/egress': value must be one of 'deny', 'allow'");
        assertThat(templateFails("standard: {tiers: {sandbox: {storage: {ceilingTotal: 2TB}}}}").stderr())
                .contains("- at '/standard/tiers/sandbox/storage/ceilingTotal': '2TB' does not match pattern");
        assertThat(templateFails("standard: {environments: [Production]}").stderr())
                .contains("- at '/standard/environments/0': 'Production' does not match pattern");
        assertThat(templateFails("metrics: {port: 80}").stderr()).contains("- at '/metrics/port': minimum: got 80, want 1,024");
        assertThat(templateFails("imageTag: latest").stderr()).contains("- at '': additional properties 'imageTag' not allowed");
        // The same checks run in helm lint (and in helm install and upgrade, before anything is sent).
        Helm.Result lint = Helm.run("lint", CHART, "--values", ChartRelease.valuesFile("replicas: two").toString());
        assertThat(lint.ok()).isFalse();
        assertThat(lint.stdout() + lint.stderr()).contains("- at '/replicas': got string, want integer");
    }

    @Test
    void valuesThatContradictEachOtherAreRejectedWithAMessage() {
        assertThat(templateFails("replicas: 2\nleaderElection: {enabled: false}").stderr())
                .contains("leaderElection.enabled must be true when replicas is 2: without it every replica would reconcile");
        assertThat(templateFails("standard: {storage: {defaultClasses: [gold]}}").stderr())
                .contains("standard.storage.defaultClasses: \"gold\" is not in standard.storage.allowedClasses");
        assertThat(templateFails("standard: {tiers: {standard: {storage: {defaultTotal: 600Gi}}}}").stderr())
                .contains("standard.tiers.standard.storage.defaultTotal (600Gi) exceeds ceilingTotal (500Gi)");
        // Quantities compare as quantities: 10240Mi is 10Gi, one Mi more is too much.
        assertThat(template("standard: {tiers: {sandbox: {storage: {defaultClaimSize: 10240Mi}}}}")).isNotEmpty();
        assertThat(templateFails("standard: {tiers: {sandbox: {storage: {defaultClaimSize: 10241Mi}}}}").stderr())
                .contains("standard.tiers.sandbox.storage.defaultClaimSize (10241Mi) exceeds ceilingClaimSize (10Gi)");
        assertThat(templateFails("standard: {tiers: {critical: {logging: {defaultDays: 500}}}}").stderr())
                .contains("standard.tiers.critical.logging.defaultDays (500) exceeds ceilingDays (400)");
        assertThat(templateFails("standard: {logging: {defaultSink: archive}}").stderr())
                .contains("standard.logging.defaultSink: \"archive\" names no sink in standard.logging.sinks");
    }

    @Test
    void theClusterRoleGrantsExactlyWhatTheOperatorUsesAndNoSecrets() {
        Obj role = Manifests.get(template(), "ClusterRole");
        List<Object> rules = list(role.tree(), "rules");
        for (Object r : rules) {
            Map<String, Object> rule = map(r);
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
                if (rule.containsKey(field)) {
                    assertThat(list(rule, field)).as("%s of %s", field, rule).doesNotContain("*");
                }
            }
            assertThat(list(rule, "resources")).as("no Secrets").doesNotContain("secrets");
            assertThat(rule).doesNotContainKey("nonResourceURLs");
        }
        List<String> write = List.of("get", "list", "watch", "create", "patch", "update", "delete");
        assertThat(rules).containsExactlyInAnyOrder(
                rule("groundwork.dev", "productplatforms", List.of("get", "list", "watch", "patch", "update")),
                rule("groundwork.dev", "productplatforms/status", List.of("get", "patch", "update")),
                rule("groundwork.dev", "productplatforms/finalizers", List.of("update")),
                rule("groundwork.dev", "platformstandards", List.of("get", "list", "watch")),
                Map.of("apiGroups", List.of("groundwork.dev"), "resources", List.of("platformstandards"),
                        "resourceNames", List.of("default"), "verbs", List.of("patch")),
                rule("groundwork.dev", "platformstandards/status", List.of("get", "patch", "update")),
                Map.of("apiGroups", List.of("apps"), "resources", List.of("deployments", "statefulsets"), "verbs", List.of("list")),
                rule("", "namespaces", write),
                rule("networking.k8s.io", "networkpolicies", write),
                Map.of("apiGroups", List.of(""), "resources", List.of("resourcequotas", "limitranges"), "verbs", write),
                rule("rbac.authorization.k8s.io", "rolebindings", write),
                Map.of("apiGroups", List.of("rbac.authorization.k8s.io"), "resources", List.of("clusterroles"),
                        "resourceNames", List.of("view", "edit"), "verbs", List.of("bind", "get")),
                rule("", "persistentvolumeclaims", List.of("get", "list")),
                rule("storage.k8s.io", "storageclasses", List.of("get", "list", "watch")),
                Map.of("apiGroups", List.of("apiextensions.k8s.io"), "resources", List.of("customresourcedefinitions"),
                        "resourceNames", List.of("flows.logging.banzaicloud.io", "reports.openreports.io"),
                        "verbs", List.of("get", "list", "watch")),
                rule("logging.banzaicloud.io", "flows", write),
                rule("openreports.io", "reports", List.of("list", "watch", "create", "patch", "delete")),
                rule("", "events", List.of("create", "patch")),
                rule("events.k8s.io", "events", List.of("create", "patch")));
    }

    @Test
    void bindIsGrantedOnExactlyTheStandardsBindableRoles() {
        List<Obj> objects = template("""
                standard:
                  access: {bindableRoles: [view, edit, admin, "team:reader"]}
                  tiers: {sandbox: {access: {roles: {dev: admin}}}}
                """);
        List<Object> binds = list(Manifests.get(objects, "ClusterRole").tree(), "rules").stream()
                .filter(r -> list(map(r), "verbs").contains("bind")).toList();
        assertThat(binds).containsExactly(Map.of("apiGroups", List.of("rbac.authorization.k8s.io"),
                "resources", List.of("clusterroles"), "resourceNames", List.of("view", "edit", "admin", "team:reader"),
                "verbs", List.of("bind", "get")));
        JsonNode standard = standardSpec(objects);
        assertThat(standard.at("/tiers/sandbox/access/roles/dev").asText()).isEqualTo("admin");
        assertThat(standard.at("/tiers/sandbox/access/roles/prod").asText()).as("maps merge key by key").isEqualTo("edit");
        assertThat(standard.at("/access/groupTemplate").asText()).isEqualTo("oidc:{team}");
    }

    @Test
    void theTeamBindingsPolicyHoldsExactlyTheOperatorsAccount() {
        List<Obj> objects = template();
        List<Obj> policies = objects.stream().filter(o -> o.kind().startsWith("ValidatingAdmissionPolicy")
                && o.name().equals("groundwork-team-bindings")).toList();
        assertThat(policies).extracting(Obj::kind)
                .containsExactlyInAnyOrder("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        Obj policy = policies.stream().filter(o -> o.kind().equals("ValidatingAdmissionPolicy")).findFirst().orElseThrow();
        assertThat(map(policy.tree(), "spec")).containsEntry("failurePolicy", "Fail");
        assertThat(list(policy.tree(), "spec", "matchConstraints", "resourceRules")).containsExactly(Map.of(
                "apiGroups", List.of("rbac.authorization.k8s.io"), "apiVersions", List.of("v1"),
                "operations", List.of("CREATE", "UPDATE"), "resources", List.of("rolebindings")));
        assertThat(list(policy.tree(), "spec", "matchConditions")).containsExactly(Map.of("name", "the-operators-account",
                "expression", "request.userInfo.username == 'system:serviceaccount:" + NAMESPACE + ":groundwork'"));
        assertThat(list(policy.tree(), "spec", "validations")).hasSize(3);
        assertThat(template("accessPolicy: {enabled: false}")).noneMatch(o -> o.name().endsWith("-team-bindings"));
    }

    @Test
    void accessValuesTheOperatorWouldRefuseAreRejected() {
        assertThat(templateFails("standard: {tiers: {standard: {access: {roles: {dev: admin}}}}}").stderr())
                .contains("standard.tiers.standard.access: role \"admin\" (dev) is not in standard.access.bindableRoles [view edit]");
        assertThat(templateFails("standard: {tiers: {critical: {access: {defaultRole: admin}}}}").stderr())
                .contains("standard.tiers.critical.access: role \"admin\" (defaultRole) is not in standard.access.bindableRoles");
        assertThat(templateFails("standard: {access: {bindableRoles: [view, edit, cluster-admin]}}").stderr())
                .contains("standard.access.bindableRoles: \"cluster-admin\" must not be given to a team");
        assertThat(templateFails("standard: {access: {bindableRoles: [view, edit, \"system:aggregate-to-edit\"]}}").stderr())
                .contains("\"system:aggregate-to-edit\" must not be given to a team");
        assertThat(templateFails("standard: {access: {bindableRoles: [view, Edit_Role]}}").stderr())
                .contains("- at '/standard/access/bindableRoles/1': 'Edit_Role' does not match pattern");
        assertThat(templateFails("standard: {access: {groupTemplate: oidc}}").stderr())
                .contains("- at '/standard/access/groupTemplate': 'oidc' does not match pattern");
        assertThat(templateFails("standard: {tiers: {sandbox: {access: {admins: [x]}}}}").stderr())
                .contains("- at '/standard/tiers/sandbox/access': additional properties 'admins' not allowed");
    }

    private static Map<String, Object> rule(String group, String resource, List<String> verbs) {
        return Map.of("apiGroups", List.of(group), "resources", List.of(resource), "verbs", verbs);
    }

    @Test
    void theChartsStandardIsTheOperatorsBuiltInDefault() throws Exception {
        JsonNode values = Manifests.YAML.readTree(Helm.CHART.resolve("values.yaml").toFile()).get("standard");
        JsonNode builtIn = Manifests.YAML.readTree(StandardLoader.class.getResourceAsStream("/groundwork/standard-defaults.yaml"));
        assertThat(values).as("values.yaml standard: vs src/main/resources/groundwork/standard-defaults.yaml").isEqualTo(builtIn);
        // So a plain install runs with the built-in revision.
        JsonNode rendered = standardSpec(template());
        assertThat(rendered).isEqualTo(builtIn);
        PlatformStandardSpec spec = Manifests.YAML.treeToValue(rendered, PlatformStandardSpec.class);
        assertThat(StandardLoader.fromSpec(spec).revision()).isEqualTo(StandardLoader.defaults().revision());
    }

    @Test
    void appVersionIsTheOperatorsVersionAndTheDefaultImageIsTheDocumentedBuild() throws Exception {
        JsonNode chart = Manifests.YAML.readTree(Helm.CHART.resolve("Chart.yaml").toFile());
        String version = operatorVersion();
        assertThat(chart.get("appVersion").asText()).isEqualTo(version);
        assertThat(chart.get("version").asText()).isEqualTo(version);
        String image = (String) container(Manifests.get(template(), "Deployment")).get("image");
        String build = "docker build -f src/main/docker/Dockerfile.jvm -t " + image + " .";
        assertThat(Files.readString(Path.of("src/main/docker/Dockerfile.jvm"))).contains(build);
        assertThat(Files.readString(Path.of("docs/install.md"))).contains(build);
    }

    @Test
    void theChartShipsTheGeneratedCrd() throws Exception {
        try (var files = Files.list(Helm.CHART.resolve("crds"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("platformstandards.groundwork.dev-v1.yml", "productplatforms.groundwork.dev-v1.yml");
        }
        String shown = Helm.ok(Helm.run("show", "crds", CHART));
        // helm show crds prints the files in name order, each ending with a newline of its own.
        assertThat(shown).isEqualTo(Files.readString(TestOperator.GENERATED_STANDARD_CRD) + "\n"
                + Files.readString(TestOperator.GENERATED_CRD) + "\n");
        List<Obj> withCrds = Manifests.parse(Helm.ok(Helm.run("template", "groundwork", CHART, "--include-crds")));
        assertThat(withCrds).extracting(Obj::kind).contains("CustomResourceDefinition");
    }
}
