package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class NamespaceBaselineTest {

    private static Namespace build(ResolvedProduct product, String environment, Map<String, String> annotations) {
        return NamespaceBaseline.build(product, Fixtures.environment(product, environment), Fixtures.STANDARD, annotations);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "critical, restricted, restricted, restricted",
            "standard, baseline,   restricted, restricted",
            "sandbox,  baseline,   restricted, restricted",
    })
    void podSecurityLabelsFollowTheTierWithPinnedVersions(String tier, String enforce, String warn, String audit) {
        Namespace namespace = build(Fixtures.minimal("payments", tier), "prod", Map.of());

        assertThat(namespace.getMetadata().getLabels()).contains(
                entry("pod-security.kubernetes.io/enforce", enforce),
                entry("pod-security.kubernetes.io/enforce-version", "v1.35"),
                entry("pod-security.kubernetes.io/warn", warn),
                entry("pod-security.kubernetes.io/warn-version", "v1.35"),
                entry("pod-security.kubernetes.io/audit", audit),
                entry("pod-security.kubernetes.io/audit-version", "v1.35"));
    }

    @Test
    void pinnedVersionComesFromTheStandard() {
        ResolvedProduct product = Fixtures.minimal("payments", "critical");
        Standard standard = Fixtures.withPodSecurityVersion(Fixtures.STANDARD, "v1.33");

        Namespace namespace = NamespaceBaseline.build(product, Fixtures.environment(product, "prod"), standard, Map.of());

        assertThat(namespace.getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce-version", "v1.33")
                .containsEntry("pod-security.kubernetes.io/warn-version", "v1.33")
                .containsEntry("pod-security.kubernetes.io/audit-version", "v1.33");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"critical", "standard", "sandbox"})
    void identityLabels(String tier) {
        ResolvedProduct product = Fixtures.minimal("payments", tier);

        Namespace namespace = build(product, "prod", Map.of());

        assertThat(namespace.getMetadata().getLabels()).containsOnly(
                entry("app.kubernetes.io/managed-by", "groundwork"),
                entry("groundwork.dev/product", "payments"),
                entry("groundwork.dev/environment", "prod"),
                entry("groundwork.dev/team", "payments-team"),
                entry("groundwork.dev/tier", tier),
                entry("pod-security.kubernetes.io/enforce", product.tierStandard().podSecurity().enforce()),
                entry("pod-security.kubernetes.io/enforce-version", "v1.35"),
                entry("pod-security.kubernetes.io/warn", product.tierStandard().podSecurity().warn()),
                entry("pod-security.kubernetes.io/warn-version", "v1.35"),
                entry("pod-security.kubernetes.io/audit", product.tierStandard().podSecurity().audit()),
                entry("pod-security.kubernetes.io/audit-version", "v1.35"));
    }

    @Test
    void namespaceIsNamedAfterTheEnvironmentsNamespace() {
        ResolvedProduct product = Fixtures.everything("payments", "standard");

        Namespace prod = build(product, "prod", Map.of());
        Namespace staging = build(product, "staging", Map.of());

        assertThat(prod.getKind()).isEqualTo("Namespace");
        assertThat(prod.getApiVersion()).isEqualTo("v1");
        assertThat(prod.getMetadata().getName()).isEqualTo("payments-prod");
        assertThat(prod.getMetadata().getNamespace()).isNull();
        assertThat(staging.getMetadata().getName()).isEqualTo("payments-stage");
        assertThat(staging.getMetadata().getLabels()).containsEntry("groundwork.dev/environment", "staging");
    }

    @Test
    void annotationsArePassedThroughAsGiven() {
        Map<String, String> annotations = Map.of(
                Labels.LOG_SINK, "audit",
                Labels.LOG_RETENTION_DAYS, "60",
                Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo,fast-rwo");

        Namespace namespace = build(Fixtures.minimal("payments", "standard"), "prod", annotations);

        assertThat(namespace.getMetadata().getAnnotations()).isEqualTo(annotations);
    }

    @Test
    void noAnnotationsMeansNoAnnotationField() {
        Namespace namespace = build(Fixtures.minimal("payments", "standard"), "prod", Map.of());

        assertThat(namespace.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void loggingAnnotationsNameSinkAndRetention() {
        Map<String, String> annotations = NamespaceBaseline.loggingAnnotations(
                new ResolvedProduct.Logging(45, "audit", List.of("cluster-logs", "audit-archive")));

        assertThat(annotations).containsOnly(
                entry("groundwork.dev/log-sink", "audit"),
                entry("groundwork.dev/log-retention-days", "45"));
    }

    @Test
    void storageAnnotationListsTheAllowedClassesCommaSeparated() {
        Map<String, String> annotations = NamespaceBaseline.storageAnnotations(
                new ResolvedProduct.Storage("100Gi", 10, "20Gi", List.of("standard-rwo", "fast-rwo")));

        assertThat(annotations).containsOnly(entry("groundwork.dev/allowed-storage-classes", "standard-rwo,fast-rwo"));
    }

    @Test
    void storageAnnotationWithASingleClass() {
        assertThat(NamespaceBaseline.storageAnnotations(Fixtures.minimal("payments", "sandbox").storage()))
                .containsOnly(entry("groundwork.dev/allowed-storage-classes", "standard-rwo"));
    }
}
