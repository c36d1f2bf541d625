package dev.groundwork.product;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.OutstandingDrift;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.cluster.ManagedCache;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Publishes each product's findings as OpenReports ({@code openreports.io/v1alpha1}), read by Policy Reporter, Grafana
 * dashboards and other tools: one {@code Report} named {@code groundwork} per environment namespace, a result per
 * baseline object ({@code policy} = area, {@code rule} = object, pass or fail, severity by tier), written with
 * server-side apply only when its content differs from the cached one. No timestamps in results, so an unchanged
 * product costs no write.
 */
final class OpenReports {
    static final String CRD = "reports.openreports.io";
    static final GroupVersionKind KIND = new GroupVersionKind("openreports.io/v1alpha1", "Report");
    static final String NAME = "groundwork";
    static final String SOURCE = "groundwork";
    private static final Logger LOG = Logger.getLogger(OpenReports.class);
    /** The content groundwork owns; everything else (metadata the server adds) is not compared. */
    private static final List<String> CONTENT = List.of("source", "results", "summary");

    private final KubernetesClient client;
    private volatile InformerEventSource<GenericKubernetesResource, ProductPlatform> source;

    OpenReports(KubernetesClient client) {
        this.client = client;
    }

    boolean attached() {
        return source != null;
    }

    void attach(InformerEventSource<GenericKubernetesResource, ProductPlatform> source) {
        this.source = source;
    }

    void detach() {
        this.source = null;
    }

    /** Severity of a drift by the product's tier. */
    static String severity(Tier tier) {
        return switch (tier) {
            case critical -> "high";
            case standard -> "medium";
            case sandbox -> "low";
        };
    }

    /**
     * The reports a product should have: one per environment namespace that groundwork manages and writes into
     * (Ready, namespaces area in Enforce: Audit writes nothing into a namespace, reports included).
     */
    static List<GenericKubernetesResource> desired(ProductPlatform product, ResolvedProduct resolved, Baseline baseline,
                                                   ProductPlatformStatus status) {
        if (resolved.mode(Area.namespaces) != Mode.Enforce || status.namespaces() == null) {
            return List.of();
        }
        Set<String> ready = status.namespaces().stream().filter(n -> n.state() == NamespaceState.Ready)
                .map(NamespaceStatus::name).collect(Collectors.toSet());
        DriftStatus drift = status.drift();
        Map<String, OutstandingDrift> outstanding = drift == null || drift.outstanding() == null ? Map.of()
                : drift.outstanding().stream().collect(Collectors.toMap(OutstandingDrift::object, Function.identity(), (a, b) -> a));
        String severity = severity(product.getSpec().effectiveTier());
        List<GenericKubernetesResource> reports = new ArrayList<>();
        for (Baseline.EnvironmentBaseline env : baseline.environments()) {
            String namespace = env.environment().namespace();
            if (env.problem().isPresent() || !ready.contains(namespace)) {
                continue;
            }
            List<Map<String, Object>> results = new ArrayList<>();
            int pass = 0;
            int fail = 0;
            for (DesiredObject object : env.objects()) {
                OutstandingDrift open = outstanding.get(object.key().toString());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("policy", object.area().name());
                result.put("rule", object.key().toString());
                result.put("category", "Platform baseline");
                result.put("severity", severity);
                result.put("resources", List.of(reference(object.object())));
                if (open == null) {
                    pass++;
                    result.put("result", "pass");
                    result.put("message", object.key() + " is as the standard requires.");
                } else {
                    fail++;
                    result.put("result", "fail");
                    Map<String, String> properties = new LinkedHashMap<>();
                    properties.put("change", open.change().name());
                    if (open.fields() != null) {
                        properties.put("fields", String.join(", ", open.fields()));
                    }
                    if (open.changedBy() != null) {
                        properties.put("changedBy", open.changedBy());
                    }
                    properties.put("since", open.since());
                    properties.put("action", open.action().name());
                    result.put("properties", properties);
                    result.put("message", object.key() + " differs from the standard ("
                            + (open.fields() == null ? open.change().name().toLowerCase() : String.join(", ", open.fields()))
                            + (open.changedBy() == null ? "" : ", changed by " + open.changedBy()) + ") since " + open.since() + ".");
                }
                results.add(result);
            }
            int warn = 0;
            for (Map<String, Object> result : previewResults(status.preview(), namespace)) {
                results.add(result);
                if ("fail".equals(result.get("result"))) {
                    fail++;
                } else {
                    warn++;
                }
            }
            GenericKubernetesResource report = new GenericKubernetesResource();
            report.setApiVersion(KIND.apiVersion());
            report.setKind(KIND.getKind());
            report.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace)
                    .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                    .addToLabels(Labels.PRODUCT, product.getMetadata().getName())
                    .addToLabels(Labels.ENVIRONMENT, env.environment().name())
                    .build());
            report.setAdditionalProperty("source", SOURCE);
            report.setAdditionalProperty("results", results);
            report.setAdditionalProperty("summary", Map.of("pass", pass, "fail", fail, "warn", warn, "error", 0, "skip", 0));
            reports.add(report);
        }
        return reports;
    }

    /**
     * The findings of the product's preview in this namespace: what the target revision would break, a result each
     * (policy {@code preview/<area>}, rule the subject; fail when blocking, warn otherwise).
     */
    static List<Map<String, Object>> previewResults(ProductPreview preview, String namespace) {
        if (preview == null || preview.findings() == null) {
            return List.of();
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (PreviewFinding finding : preview.findings()) {
            if (!namespace.equals(finding.namespace())) {
                continue;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("policy", "preview/" + finding.area());
            result.put("rule", finding.subject());
            result.put("category", "Standard revision preview");
            result.put("severity", finding.blocking() ? "high" : "medium");
            result.put("result", finding.blocking() ? "fail" : "warn");
            result.put("message", finding.message());
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("revision", preview.revision());
            properties.put("fromRevision", preview.fromRevision());
            properties.put("evidence", finding.evidence());
            properties.put("checkedAt", finding.checkedAt());
            result.put("properties", properties);
            results.add(result);
        }
        return results;
    }

    private static Map<String, String> reference(HasMetadata object) {
        Map<String, String> ref = new LinkedHashMap<>();
        ref.put("apiVersion", object.getApiVersion());
        ref.put("kind", object.getKind());
        if (object.getMetadata().getNamespace() != null) {
            ref.put("namespace", object.getMetadata().getNamespace());
        }
        ref.put("name", object.getMetadata().getName());
        return ref;
    }

    /** Writes the reports that differ from the cache and deletes the product's reports in namespaces it left. */
    void publish(ProductPlatform product, ResolvedProduct resolved, Baseline baseline, ProductPlatformStatus status) {
        InformerEventSource<GenericKubernetesResource, ProductPlatform> reports = source;
        if (reports == null) {
            return;
        }
        ResourceID owner = new ResourceID(product.getMetadata().getName());
        List<GenericKubernetesResource> wanted = desired(product, resolved, baseline, status);
        for (GenericKubernetesResource report : wanted) {
            GenericKubernetesResource live = reports.get(new ResourceID(NAME, report.getMetadata().getNamespace())).orElse(null);
            if (live != null && sameContent(report, live)) {
                continue;
            }
            try {
                GenericKubernetesResource written = client.resource(report).fieldManager(ClusterWriter.FIELD_MANAGER)
                        .forceConflicts().serverSideApply();
                if (live == null) {
                    reports.handleRecentResourceCreate(owner, written);
                } else {
                    reports.handleRecentResourceUpdate(owner, written, live);
                }
            } catch (KubernetesClientException e) {
                // A report is a view of the status: failing to write it must not fail the reconcile. The API going
                // away (its CRD terminating or deleted) is expected, and its watch detaches the reports next.
                boolean apiGoing = e.getCode() == 404 || (e.getMessage() != null && e.getMessage().contains("definition is terminating"));
                if (apiGoing) {
                    LOG.debugf("the OpenReports API is going away; report in %s not written", report.getMetadata().getNamespace());
                } else {
                    LOG.warnf("writing the report in %s failed: %s", report.getMetadata().getNamespace(), e.getMessage());
                }
            }
        }
        Set<String> kept = wanted.stream().map(r -> r.getMetadata().getNamespace()).collect(Collectors.toSet());
        for (GenericKubernetesResource live : ManagedCache.ofProduct(reports, product.getMetadata().getName())) {
            if (!kept.contains(live.getMetadata().getNamespace())) {
                delete(live);
            }
        }
    }

    /** The product is gone: so are its reports. */
    void forget(String product) {
        InformerEventSource<GenericKubernetesResource, ProductPlatform> reports = source;
        if (reports != null) {
            ManagedCache.ofProduct(reports, product).forEach(this::delete);
        }
    }

    private void delete(GenericKubernetesResource live) {
        try {
            client.resource(live).delete();
        } catch (KubernetesClientException e) {
            LOG.warnf("deleting the report in %s failed: %s", live.getMetadata().getNamespace(), e.getMessage());
        }
    }

    static boolean sameContent(GenericKubernetesResource desired, GenericKubernetesResource live) {
        Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
        if (!labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
            return false;
        }
        for (String field : CONTENT) {
            JsonNode want = Serialization.jsonMapper().valueToTree(desired.getAdditionalProperties().get(field));
            JsonNode have = Serialization.jsonMapper().valueToTree(live.getAdditionalProperties().get(field));
            if (want == null || have == null ? want != have : !want.equals(BY_VALUE, have)) {
                return false;
            }
        }
        return true;
    }

    /** Objects compared key by key in any order (JsonNode equality), numbers by value whatever their width. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
}
