package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the standard or the cluster can judge: each error yields its documented condition reason, and
 * nothing is written for the area concerned while the rest of the product is applied.
 */
class SemanticChecksIT {
    @RegisterExtension
    static final RunningOperator running = RunningOperator.withDefaults();



    private static String product(String name, String extra) {
        return """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                  team: semantic
                  tier: sandbox
                  environments:
                    - name: dev
                %s
                """.formatted(name, extra.indent(2));
    }

    private static ProductPlatform awaitReason(String name, String type, String reason) {
        return TestOperator.awaitStatus(running.admin(), name, p -> assertThat(Products.reason(p, type))
                .as("%s of %s in %s", type, name, p == null ? null : p.getStatus()).isEqualTo(reason));
    }

    @Test
    void storageClassNotAllowedWritesNoStorageObject() {
        int mark = running.operator().writes().mark();
        Products.apply(running.admin(), product("sem-class", "storage:\n  classes: [gold-nvme]"));
        ProductPlatform product = awaitReason("sem-class", "StorageReady", "StorageClassNotAllowed");
        assertThat(Products.condition(product, "StorageReady").orElseThrow().getMessage())
                .contains("gold-nvme").contains("standard-rwo");
        assertThat(Products.isTrue(product, "NetworkingReady")).isTrue();
        assertThat(Products.reason(product, "Ready")).isEqualTo("StorageClassNotAllowed");
        assertThat(running.admin().resourceQuotas().inNamespace("sem-class-dev").list().getItems()).isEmpty();
        assertThat(running.admin().limitRanges().inNamespace("sem-class-dev").list().getItems()).isEmpty();
        assertThat(running.admin().namespaces().withName("sem-class-dev").get().getMetadata().getAnnotations())
                .doesNotContainKey("groundwork.dev/allowed-storage-classes");
        assertThat(running.operator().writes().writesSince(mark, "sem-class-dev")).noneMatch(w -> w.contains("resourcequotas")
                || w.contains("limitranges"));
    }

    @Test
    void totalAboveTierCeilingWritesNoStorageObject() {
        Products.apply(running.admin(), product("sem-ceiling", "storage:\n  maxTotal: 100Gi\n  maxClaimSize: 5Gi"));
        ProductPlatform product = awaitReason("sem-ceiling", "StorageReady", "StorageAboveTierCeiling");
        assertThat(Products.condition(product, "StorageReady").orElseThrow().getMessage())
                .isEqualTo("maxTotal 100Gi exceeds the tier ceiling of 50Gi.");
        assertThat(running.admin().resourceQuotas().inNamespace("sem-ceiling-dev").list().getItems()).isEmpty();
    }

    @Test
    void unknownSinkWritesNoLoggingAnnotation() {
        Products.apply(running.admin(), product("sem-sink", "logging:\n  sink: splunk"));
        ProductPlatform product = awaitReason("sem-sink", "LoggingReady", "UnknownLogSink");
        assertThat(Products.condition(product, "LoggingReady").orElseThrow().getMessage())
                .contains("splunk").contains("default");
        Namespace ns = running.admin().namespaces().withName("sem-sink-dev").get();
        assertThat(ns.getMetadata().getAnnotations()).doesNotContainKeys("groundwork.dev/log-sink",
                "groundwork.dev/log-retention-days");
        assertThat(Products.isTrue(product, "StorageReady")).isTrue();
    }

    @Test
    void retentionAboveTierCeiling() {
        Products.apply(running.admin(), product("sem-retention", "logging:\n  retentionDays: 60"));
        awaitReason("sem-retention", "LoggingReady", "RetentionAboveTierCeiling");
    }

    @Test
    void protectedNamespaceIsNeverClaimed() {
        running.admin().resource(new NamespaceBuilder().withNewMetadata().withName("monitoring").endMetadata().build()).serverSideApply();
        int mark = running.operator().writes().mark();
        Products.apply(running.admin(), """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: sem-protected
                spec:
                  team: semantic
                  environments:
                    - name: prod
                      namespace: monitoring
                    - name: dev
                """);
        ProductPlatform product = awaitReason("sem-protected", "NamespacesReady", "NamespaceProtected");
        assertThat(product.getStatus().namespaces()).extracting(n -> n.name() + "=" + n.state())
                .containsExactly("monitoring=Conflict", "sem-protected-dev=Ready");
        assertThat(running.admin().namespaces().withName("monitoring").get().getMetadata().getLabels())
                .doesNotContainKey("groundwork.dev/product");
        assertThat(running.operator().writes().writesSince(mark, "/monitoring")).isEmpty();
        assertNoAreaClaimsIt(product, "prod (namespace monitoring: protected)");
    }

    /** Every area names the environment that got nothing, and none says its objects are in place. */
    private static void assertNoAreaClaimsIt(ProductPlatform product, String environment) {
        for (String area : List.of("NetworkingReady", "StorageReady", "LoggingReady", "AccessReady")) {
            Condition condition = Products.condition(product, area).orElseThrow();
            assertThat(condition.getStatus()).as(area).isEqualTo("False");
            assertThat(condition.getReason()).as(area).isEqualTo("NamespaceNotWritten");
            assertThat(condition.getMessage()).as(area).contains("Nothing is written to " + environment)
                    .doesNotContain("in place").doesNotContain("has ClusterRole");
        }
    }

    @Test
    void environmentOutsideTheVocabulary() {
        Products.apply(running.admin(), product("sem-env", "").replace("- name: dev", "- name: qa"));
        ProductPlatform product = awaitReason("sem-env", "NamespacesReady", "EnvironmentNotAllowed");
        assertThat(Products.condition(product, "NamespacesReady").orElseThrow().getMessage())
                .isEqualTo("Environment qa is not one the standard allows (prod, staging, dev).");
        assertThat(running.admin().namespaces().withName("sem-env-qa").get()).isNull();
    }

    @Test
    void namespaceOfAnotherProductIsLeftUntouched() {
        Products.apply(running.admin(), product("sem-first", "").replace("- name: dev", "- name: dev\n      namespace: sem-shared"));
        TestOperator.awaitStatus(running.admin(), "sem-first", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        Namespace before = running.admin().namespaces().withName("sem-shared").get();
        ProductPlatform firstBefore = running.admin().resources(ProductPlatform.class).withName("sem-first").get();

        int mark = running.operator().writes().mark();
        Products.apply(running.admin(), product("sem-second", "").replace("- name: dev", "- name: dev\n      namespace: sem-shared"));
        ProductPlatform second = awaitReason("sem-second", "NamespacesReady", "NamespaceOwnedByAnotherProduct");
        assertThat(second.getStatus().namespaces()).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NamespaceState.Conflict));
        assertThat(Products.condition(second, "NamespacesReady").orElseThrow().getMessage())
                .isEqualTo("Namespace sem-shared belongs to product sem-first; choose another namespace for environment dev.");

        Namespace after = running.admin().namespaces().withName("sem-shared").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(running.operator().writes().writesSince(mark, "sem-shared")).isEmpty();
        assertNoAreaClaimsIt(second, "dev (namespace sem-shared: another product's)");
        ProductPlatform firstAfter = running.admin().resources(ProductPlatform.class).withName("sem-first").get();
        assertThat(firstAfter.getMetadata().getResourceVersion()).isEqualTo(firstBefore.getMetadata().getResourceVersion());
    }

    @Test
    void anExistingNamespaceWaitsForItsOwnersConsentThenIsAdoptedKeepingItsOwnLabels() {
        running.admin().resource(new NamespaceBuilder().withNewMetadata().withName("sem-adopt-dev")
                .addToLabels("cost-center", "1234").endMetadata().build()).serverSideApply();
        int mark = running.operator().writes().mark();
        Products.apply(running.admin(), product("sem-adopt", ""));
        ProductPlatform waiting = awaitReason("sem-adopt", "NamespacesReady", "AdoptionNotConsented");
        assertThat(Products.condition(waiting, "NamespacesReady").orElseThrow().getMessage())
                .contains("kubectl label namespace sem-adopt-dev groundwork.dev/adopt=sem-adopt");
        assertNoAreaClaimsIt(waiting, "dev (namespace sem-adopt-dev: its owner has not consented to adoption)");
        assertThat(running.operator().writes().writesSince(mark, "sem-adopt-dev")).isEmpty();

        running.admin().namespaces().withName("sem-adopt-dev").edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("groundwork.dev/adopt", "sem-adopt").endMetadata().build());
        TestOperator.awaitStatus(running.admin(), "sem-adopt", p -> assertThat(Products.isTrue(p, "Ready")).isTrue());
        assertThat(running.admin().namespaces().withName("sem-adopt-dev").get().getMetadata().getLabels())
                .containsEntry("cost-center", "1234")
                .containsEntry("groundwork.dev/product", "sem-adopt")
                .containsEntry("app.kubernetes.io/managed-by", "groundwork");
    }
}
