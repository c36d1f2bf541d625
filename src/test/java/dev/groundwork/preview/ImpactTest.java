package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.FieldChange;
import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.api.v1alpha1.Severity;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.BaselinePlanner;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.PeerNamespaces;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 23, the pure part: what a new revision of the standard changes and breaks, product by product. */
class ImpactTest {
    private static final LoadedStandard DEFAULTS = StandardLoader.defaults();
    private static final String NOW = "2026-12-06T10:00:00Z";

    /** The cluster as the test states it: live namespace labels, quota usage, claims, the server's dry-run answers. */
    static final class Cluster implements Impact.Evidence {
        final Map<String, Map<String, String>> labels = new HashMap<>();
        final Map<String, StorageImpact.Usage> usage = new HashMap<>();
        final Map<String, List<StorageImpact.Claim>> claims = new HashMap<>();
        final Map<String, List<String>> warnings = new HashMap<>();
        final List<String> dryRuns = new ArrayList<>();
        final List<String> claimLists = new ArrayList<>();

        @Override
        public Optional<Map<String, String>> namespaceLabels(String namespace) {
            return Optional.ofNullable(labels.get(namespace));
        }

        @Override
        public StorageImpact.Usage quotaUsage(String namespace) {
            return usage.getOrDefault(namespace, new StorageImpact.Usage(Optional.empty(), Optional.empty(), List.of()));
        }

        @Override
        public List<StorageImpact.Claim> claims(String namespace) {
            claimLists.add(namespace);
            return claims.getOrDefault(namespace, List.of());
        }

        @Override
        public List<String> podSecurityDryRun(String namespace, Map<String, String> labels) {
            dryRuns.add(namespace + " " + labels.get(Impact.PSA_ENFORCE));
            return warnings.getOrDefault(namespace, List.of());
        }
    }

    static LoadedStandard standard(String yaml) {
        try {
            Path file = Files.createTempFile("standard", ".yaml");
            Files.writeString(file, yaml);
            return StandardLoader.load(Optional.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProductPlatform product(String name, String tier, String... environments) {
        return Serialization.unmarshal("""
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata: {name: %s}
                spec:
                  team: %s-team
                  tier: %s
                  environments: [%s]
                """.formatted(name, name, tier, String.join(", ", List.of(environments).stream()
                .map(e -> "{name: " + e + "}").toList())), ProductPlatform.class);
    }

    static Baseline plan(LoadedStandard standard, ProductPlatform product) {
        return new BaselinePlanner(standard.standard()).plan(new ProductResolver(standard.standard(), Set.of()).resolve(product),
                new ClusterFacts(new TreeSet<>(Set.of("standard-rwo")), false, PeerNamespaces.NONE), ns -> Map.of());
    }

    static ProductPreview preview(LoadedStandard from, LoadedStandard to, ProductPlatform product, Cluster cluster) {
        return Impact.preview(from.revision(), plan(from, product), to.revision(), plan(to, product), cluster, null, NOW);
    }

    @Test
    void raisingTheCriticalTotalUpdatesExactlyEachCriticalEnvironmentsQuota() {
        LoadedStandard raised = standard("tiers: {critical: {storage: {defaultTotal: 1Ti}}}");
        Cluster cluster = new Cluster();
        ProductPreview critical = preview(DEFAULTS, raised, product("pay", "critical", "prod", "staging"), cluster);
        ProductPreview standardTier = preview(DEFAULTS, raised, product("shop", "standard", "prod"), cluster);

        assertThat(critical.changes()).extracting(ObjectChange::object, ObjectChange::change).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ResourceQuota pay-prod/groundwork-storage", ObjectChangeKind.Updated),
                org.assertj.core.groups.Tuple.tuple("ResourceQuota pay-staging/groundwork-storage", ObjectChangeKind.Updated));
        assertThat(critical.changes().get(0).fields()).contains(new FieldChange("spec.hard.requests.storage", "500Gi", "1Ti"))
                .allSatisfy(f -> assertThat(f.path()).endsWith("requests.storage"));
        assertThat(critical.updated()).isEqualTo(2);
        assertThat(critical.created()).isZero();
        assertThat(critical.pruned()).isZero();
        assertThat(critical.findings()).isNull();
        assertThat(standardTier.changes()).isNull();
        assertThat(standardTier.updated()).isZero();
        assertThat(cluster.dryRuns).isEmpty();
    }

    @Test
    void egressBecomingDeniedListsTheEgressEachStandardProductLoses() {
        LoadedStandard denied = standard("tiers: {standard: {egress: deny}}");
        ProductPreview preview = preview(DEFAULTS, denied, product("shop", "standard", "prod"), new Cluster());

        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.area()).isEqualTo("network");
            assertThat(f.severity()).isEqualTo(Severity.Warning);
            assertThat(f.namespace()).isEqualTo("shop-prod");
            assertThat(f.subject()).isEqualTo("shop-prod -> any destination");
            assertThat(f.message()).contains("still allowed").contains("kube-system (pods k8s-app=kube-dns):UDP/53");
            assertThat(f.checkedAt()).isEqualTo(NOW);
        });
        assertThat(preview.changes()).extracting(ObjectChange::object).contains(
                "NetworkPolicy shop-prod/groundwork-allow-dns", "NetworkPolicy shop-prod/groundwork-default-deny");
        assertThat(preview.created()).isEqualTo(1);
    }

    @Test
    void aChangedIngressControllerNamespaceListsTheIngressLost() {
        LoadedStandard moved = standard("ingressController: {namespace: ingress-new}");
        ProductPreview preview = preview(DEFAULTS, moved, product("shop", "standard", "prod"), new Cluster());

        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("ingress-nginx -> shop-prod");
            assertThat(f.message()).startsWith("Ingress ingress-nginx -> shop-prod would no longer be allowed")
                    .contains("ingress-new -> shop-prod");
        });
        assertThat(preview.changes()).singleElement().satisfies(c -> {
            assertThat(c.object()).isEqualTo("NetworkPolicy shop-prod/groundwork-allow-ingress-controller");
            assertThat(c.fields()).containsExactly(new FieldChange(
                    "spec.ingress[0].from[0].namespaceSelector.matchLabels.kubernetes.io/metadata.name", "ingress-nginx", "ingress-new"));
        });
    }

    @Test
    void aNarrowerRoleNamesTheGroupTheEnvironmentAndBothRoles() {
        LoadedStandard narrower = standard("tiers: {sandbox: {access: {roles: {prod: view, staging: edit, dev: edit}}}}");
        ProductPreview preview = preview(DEFAULTS, narrower, product("toy", "sandbox", "prod", "dev"), new Cluster());

        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.area()).isEqualTo("access");
            assertThat(f.severity()).isEqualTo(Severity.Warning);
            assertThat(f.namespace()).isEqualTo("toy-prod");
            assertThat(f.subject()).isEqualTo("Group oidc:toy-team");
            assertThat(f.message()).isEqualTo("Group oidc:toy-team gets a narrower role in prod: ClusterRole edit -> view.");
        });
    }

    @Test
    void aBroaderRoleIsNoFinding() {
        LoadedStandard broader = standard("tiers: {standard: {access: {roles: {prod: edit, staging: edit, dev: edit}}}}");
        assertThat(preview(DEFAULTS, broader, product("shop", "standard", "prod"), new Cluster()).findings()).isNull();
    }

    @Test
    void aTotalBelowTheQuotasUsageIsBlocking() {
        LoadedStandard lowered = standard("tiers: {standard: {storage: {defaultTotal: 50Gi}}}");
        Cluster cluster = new Cluster();
        cluster.usage.put("shop-prod", new StorageImpact.Usage(Optional.of("80Gi"), Optional.of("3"), List.of()));

        ProductPreview preview = preview(DEFAULTS, lowered, product("shop", "standard", "prod"), cluster);

        assertThat(preview.blocking()).isEqualTo(1);
        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.area()).isEqualTo("storage");
            assertThat(f.severity()).isEqualTo(Severity.Blocking);
            assertThat(f.namespace()).isEqualTo("shop-prod");
            assertThat(f.subject()).isEqualTo("ResourceQuota shop-prod/groundwork-storage");
            assertThat(f.message()).contains("80Gi").contains("new limit 50Gi");
            assertThat(f.evidence()).contains("status.used requests.storage=80Gi");
        });
        assertThat(cluster.claimLists).as("claims are listed only when their size or class matters").isEmpty();
    }

    @Test
    void aTotalStillAboveUsageIsNoFinding() {
        LoadedStandard lowered = standard("tiers: {standard: {storage: {defaultTotal: 50Gi}}}");
        Cluster cluster = new Cluster();
        cluster.usage.put("shop-prod", new StorageImpact.Usage(Optional.of("40Gi"), Optional.of("3"), List.of()));
        assertThat(preview(DEFAULTS, lowered, product("shop", "standard", "prod"), cluster).findings()).isNull();
    }

    @Test
    void aLargestClaimLimitBelowAnExistingClaimIsBlocking() {
        LoadedStandard lowered = standard("tiers: {standard: {storage: {defaultClaimSize: 10Gi}}}");
        Cluster cluster = new Cluster();
        cluster.claims.put("shop-prod", List.of(new StorageImpact.Claim("data", "15Gi", "standard-rwo"),
                new StorageImpact.Claim("small", "5Gi", "standard-rwo")));

        ProductPreview preview = preview(DEFAULTS, lowered, product("shop", "standard", "prod"), cluster);

        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.Blocking);
            assertThat(f.subject()).isEqualTo("PersistentVolumeClaim shop-prod/data");
            assertThat(f.message()).isEqualTo("Claim data requests 15Gi, above the new largest-claim limit 10Gi (now 20Gi).");
        });
        assertThat(cluster.claimLists).containsExactly("shop-prod");
    }

    @Test
    void aClassNoLongerAllowedThatClaimsUseIsBlocking() {
        LoadedStandard removed = standard("storage: {allowedClasses: [fast-rwo], defaultClasses: [fast-rwo]}");
        Cluster cluster = new Cluster();
        cluster.claims.put("shop-prod", List.of(new StorageImpact.Claim("data", "1Gi", "standard-rwo"),
                new StorageImpact.Claim("cache", "1Gi", "fast-rwo")));

        ProductPreview preview = preview(DEFAULTS, removed, product("shop", "standard", "prod"), cluster);

        assertThat(preview.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.Blocking);
            assertThat(f.subject()).isEqualTo("PersistentVolumeClaim shop-prod/data");
            assertThat(f.message()).contains("storage class standard-rwo");
        });
    }

    @Test
    void podSecurityIsJudgedByTheApiServersDryRunOnlyWhereTheEnforceLabelsChange() {
        LoadedStandard restricted = standard("tiers: {sandbox: {podSecurity: {enforce: restricted}}}");
        Cluster cluster = new Cluster();
        cluster.labels.put("toy-prod", Map.of(Impact.PSA_ENFORCE, "baseline", Impact.PSA_ENFORCE_VERSION, "v1.35"));
        cluster.labels.put("toy-dev", Map.of(Impact.PSA_ENFORCE, "restricted", Impact.PSA_ENFORCE_VERSION, "v1.35"));
        cluster.warnings.put("toy-prod", List.of(
                "existing pods in namespace \"toy-prod\" violate the new PodSecurity enforce level \"restricted:v1.35\"",
                "root-pod: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
                "web-1 (and 2 other pods): runAsNonRoot != true"));

        ProductPreview preview = preview(DEFAULTS, restricted, product("toy", "sandbox", "prod", "dev"), cluster);

        assertThat(cluster.dryRuns).containsExactly("toy-prod restricted");
        assertThat(preview.blocking()).isEqualTo(2);
        assertThat(preview.findings()).extracting(PreviewFinding::subject)
                .containsExactly("Pod toy-prod/root-pod", "Pod toy-prod/web-1 and 2 other pods with the same violations");
        assertThat(preview.findings().get(0).message()).isEqualTo("Pod root-pod would violate Pod Security level "
                + "restricted:v1.35: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
                + "seccompProfile.");
        assertThat(preview.findings().get(0).evidence()).startsWith("API server dry run of the namespace update: existing pods");
        assertThat(preview.changes()).extracting(ObjectChange::object).containsExactly("Namespace toy-dev", "Namespace toy-prod");
        assertThat(preview.changes().get(1).fields()).containsExactly(
                new FieldChange("metadata.labels.pod-security.kubernetes.io/enforce", "baseline", "restricted"));
    }

    @Test
    void aWarningHeaderIsReadAsTheServerWroteIt() {
        assertThat(PodSecurityWarnings.text("299 - \"existing pods in namespace \\\"a\\\" violate the new PodSecurity "
                + "enforce level \\\"restricted:latest\\\"\""))
                .isEqualTo("existing pods in namespace \"a\" violate the new PodSecurity enforce level \"restricted:latest\"");
        assertThat(PodSecurityWarnings.text("299 - \"p: runAsNonRoot != true\"")).isEqualTo("p: runAsNonRoot != true");
    }

    @Test
    void aFindingFoundAgainKeepsTheTimeItWasFirstCheckedSoTheStatusDoesNotChange() {
        LoadedStandard denied = standard("tiers: {standard: {egress: deny}}");
        ProductPlatform shop = product("shop", "standard", "prod");
        ProductPreview first = preview(DEFAULTS, denied, shop, new Cluster());
        ProductPreview again = Impact.preview(DEFAULTS.revision(), plan(DEFAULTS, shop), denied.revision(), plan(denied, shop),
                new Cluster(), first, "2026-12-06T11:00:00Z");

        assertThat(again).isEqualTo(first);
        assertThat(again.findings().get(0).checkedAt()).isEqualTo(NOW);
    }

    @Test
    void aStatusWithAPreviewReadsBackEqual() {
        LoadedStandard denied = standard("tiers: {standard: {egress: deny}}");
        ProductPlatform shop = product("shop", "standard", "prod");
        shop.setStatus(new dev.groundwork.api.v1alpha1.ProductPlatformStatus(1L, "abc", 3, null, null, null)
                .withPreview(preview(DEFAULTS, denied, shop, new Cluster())));

        ProductPlatform read = Serialization.unmarshal(Serialization.asYaml(shop), ProductPlatform.class);

        assertThat(read.getStatus()).isEqualTo(shop.getStatus());
        assertThat(read.getStatus().preview().findings()).hasSize(1);
    }
}
