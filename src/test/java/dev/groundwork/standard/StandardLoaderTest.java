package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.AdoptionPolicy;
import dev.groundwork.api.v1alpha1.Tier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class StandardLoaderTest {
    private static final LoadedStandard DEFAULTS = StandardLoader.defaults();

    @TempDir
    Path dir;
    private int files;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("standard-" + (files++) + ".yaml"), yaml);
    }

    private LoadedStandard load(String yaml) throws IOException {
        return StandardLoader.load(Optional.of(file(yaml)));
    }

    @Nested
    class Defaults {

        @Test
        void builtInDefaultsAreCompleteAndValid() {
            Standard standard = DEFAULTS.standard();

            assertThat(standard.podSecurity().version()).isEqualTo("v1.35");
            assertThat(standard.tiers()).containsOnlyKeys(Tier.values());
            assertThat(standard.tier(Tier.critical).egress()).isEqualTo(Standard.Egress.deny);
            assertThat(standard.tier(Tier.standard).egress()).isEqualTo(Standard.Egress.allow);
            assertThat(standard.tier(Tier.sandbox).egress()).isEqualTo(Standard.Egress.allow);
            assertThat(standard.tier(Tier.critical).podSecurity())
                    .isEqualTo(new Standard.PodSecurityLevels("restricted", "restricted", "restricted"));
            assertThat(standard.tier(Tier.standard).storage())
                    .isEqualTo(new Standard.StorageLimits("500Gi", 40, "100Gi", "100Gi", 10, "20Gi"));
            assertThat(standard.tier(Tier.sandbox).logging()).isEqualTo(new Standard.Retention(14, 7));
            assertThat(standard.storage().allowedClasses()).containsExactly("standard-rwo", "fast-rwo", "standard-rwx");
            assertThat(standard.storage().defaultClasses()).containsExactly("standard-rwo");
            assertThat(standard.ingressController().namespace()).isEqualTo("ingress-nginx");
            assertThat(standard.monitoring().namespace()).isEqualTo("monitoring");
            assertThat(standard.dns()).isEqualTo(new Standard.Dns("kube-system", Map.of("k8s-app", "kube-dns")));
            assertThat(standard.logging().flowEnabled()).isTrue();
            assertThat(standard.logging().defaultSink()).isEqualTo("default");
            assertThat(standard.logging().sinks()).containsOnly(
                    entry("default", List.of("cluster-logs")),
                    entry("audit", List.of("cluster-logs", "audit-archive")));
            assertThat(standard.environments()).containsExactly("prod", "staging", "dev");
            assertThat(standard.protectedNamespaces())
                    .containsExactly("groundwork-system", "ingress-nginx", "monitoring", "logging", "cert-manager");
        }

        @Test
        void theDefaultAdoptionPolicyLeavesEveryEarlierRevisionAsItWas() throws Exception {
            // Computed by the build before namespaceAdoption existed: an upgrade must not move products to a new
            // revision of the same content.
            assertThat(DEFAULTS.standard().namespaceAdoption()).isEqualTo(AdoptionPolicy.Consent);
            assertThat(DEFAULTS.revision()).isEqualTo("af85b8a");
            assertThat(StandardLoader.fromJson("{\"protectedNamespaces\":[\"x\"]}").revision()).isEqualTo("9ac60e8");
            assertThat(load("namespaceAdoption: Always").revision()).isNotEqualTo(DEFAULTS.revision());
            assertThat(load("namespaceAdoption: Never").revision()).isNotEqualTo(DEFAULTS.revision());
        }

        @Test
        void revisionIsAShortHexHashStableAcrossLoads() {
            assertThat(DEFAULTS.revision()).matches("[0-9a-f]{7}");
            assertThat(StandardLoader.defaults().revision()).isEqualTo(DEFAULTS.revision());
            assertThat(StandardLoader.load(Optional.empty()).revision()).isEqualTo(DEFAULTS.revision());
        }

        @Test
        void emptyOverrideFileIsTheDefaults() throws IOException {
            LoadedStandard loaded = load("");

            assertThat(loaded.standard()).isEqualTo(DEFAULTS.standard());
            assertThat(loaded.revision()).isEqualTo(DEFAULTS.revision());
        }

        @Test
        void allowsEnvironmentFollowsTheVocabulary() {
            assertThat(DEFAULTS.standard().allowsEnvironment("staging")).isTrue();
            assertThat(DEFAULTS.standard().allowsEnvironment("qa")).isFalse();
        }
    }

    @Nested
    class Overrides {

        @Test
        void partialOverrideChangesOnlyWhatItNames() throws IOException {
            LoadedStandard loaded = load("""
                    tiers:
                      sandbox:
                        logging: {ceilingDays: 30}
                        storage: {ceilingTotal: 80Gi}
                    ingressController: {namespace: traefik}
                    """);
            Standard standard = loaded.standard();
            Standard defaults = DEFAULTS.standard();

            assertThat(standard.tier(Tier.sandbox).logging()).isEqualTo(new Standard.Retention(30, 7));
            assertThat(standard.tier(Tier.sandbox).storage())
                    .isEqualTo(new Standard.StorageLimits("80Gi", 10, "10Gi", "20Gi", 5, "5Gi"));
            assertThat(standard.tier(Tier.sandbox).podSecurity()).isEqualTo(defaults.tier(Tier.sandbox).podSecurity());
            assertThat(standard.tier(Tier.sandbox).egress()).isEqualTo(defaults.tier(Tier.sandbox).egress());
            assertThat(standard.tier(Tier.critical)).isEqualTo(defaults.tier(Tier.critical));
            assertThat(standard.tier(Tier.standard)).isEqualTo(defaults.tier(Tier.standard));
            assertThat(standard.ingressController().namespace()).isEqualTo("traefik");
            assertThat(standard.monitoring()).isEqualTo(defaults.monitoring());
            assertThat(standard.dns()).isEqualTo(defaults.dns());
            assertThat(standard.logging()).isEqualTo(defaults.logging());
            assertThat(standard.storage()).isEqualTo(defaults.storage());
            assertThat(standard.environments()).isEqualTo(defaults.environments());
            assertThat(standard.protectedNamespaces()).isEqualTo(defaults.protectedNamespaces());
            assertThat(standard.podSecurity()).isEqualTo(defaults.podSecurity());
        }

        @Test
        void listsReplaceInsteadOfMerging() throws IOException {
            Standard standard = load("""
                    environments: [prod, qa]
                    protectedNamespaces: [vault]
                    storage:
                      allowedClasses: [gold, standard-rwo]
                    logging:
                      sinks:
                        audit: [siem]
                    """).standard();

            assertThat(standard.environments()).containsExactly("prod", "qa");
            assertThat(standard.protectedNamespaces()).containsExactly("vault");
            assertThat(standard.storage().allowedClasses()).containsExactly("gold", "standard-rwo");
            assertThat(standard.storage().defaultClasses()).as("sibling key kept").containsExactly("standard-rwo");
            assertThat(standard.logging().sinks()).containsOnly(
                    entry("default", List.of("cluster-logs")),
                    entry("audit", List.of("siem")));
        }

        @Test
        void mapsMergeKeyByKey() throws IOException {
            Standard standard = load("""
                    logging:
                      flowEnabled: false
                      sinks:
                        security: [siem, cluster-logs]
                    """).standard();

            assertThat(standard.logging().flowEnabled()).isFalse();
            assertThat(standard.logging().defaultSink()).isEqualTo("default");
            assertThat(standard.logging().sinks()).containsOnlyKeys("default", "audit", "security");
            assertThat(standard.logging().sinks().get("security")).containsExactly("siem", "cluster-logs");
        }

        @Test
        void overrideCanMakeAConsistentChangeAcrossDefaultAndCeiling() throws IOException {
            Standard standard = load("""
                    tiers:
                      standard:
                        storage: {ceilingTotal: 1Ti, defaultTotal: 600Gi}
                    logging: {defaultSink: audit}
                    storage: {defaultClasses: [fast-rwo]}
                    """).standard();

            assertThat(standard.tier(Tier.standard).storage().defaultTotal()).isEqualTo("600Gi");
            assertThat(standard.logging().defaultSink()).isEqualTo("audit");
            assertThat(standard.storage().defaultClasses()).containsExactly("fast-rwo");
        }
    }

    @Nested
    class Invalid {

        @Test
        void defaultTotalAboveTheCeiling() {
            assertThatThrownBy(() -> load("""
                    tiers:
                      standard:
                        storage: {defaultTotal: 600Gi}
                    """))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tiers.standard.storage.defaultTotal exceeds ceilingTotal");
        }

        @Test
        void ceilingLoweredBelowTheDefaultsIsCaughtToo() {
            assertThatThrownBy(() -> load("""
                    tiers:
                      critical:
                        storage: {ceilingClaimSize: 50Gi, ceilingClaims: 20}
                      sandbox:
                        logging: {ceilingDays: 5}
                    """))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tiers.critical.storage.defaultClaimSize exceeds ceilingClaimSize")
                    .hasMessageContaining("tiers.critical.storage.defaultClaims exceeds ceilingClaims")
                    .hasMessageContaining("tiers.sandbox.logging.defaultDays exceeds ceilingDays");
        }

        @Test
        void defaultAboveTheCeilingIsComparedByValue() throws IOException {
            // 512000Mi is exactly 500Gi, the standard tier's ceiling: allowed.
            assertThat(load("tiers: {standard: {storage: {defaultTotal: 512000Mi}}}").standard()
                    .tier(Tier.standard).storage().defaultTotal()).isEqualTo("512000Mi");
            assertThatThrownBy(() -> load("tiers: {standard: {storage: {defaultTotal: 512001Mi}}}"))
                    .hasMessageContaining("tiers.standard.storage.defaultTotal exceeds ceilingTotal");
        }

        @Test
        void unknownDefaultSink() {
            assertThatThrownBy(() -> load("logging: {defaultSink: splunk}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("logging.defaultSink names no sink in logging.sinks");
        }

        @Test
        void defaultClassNotAllowed() {
            assertThatThrownBy(() -> load("storage: {defaultClasses: [standard-rwo, gold]}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("storage.defaultClasses must be a subset of storage.allowedClasses");
        }

        @Test
        void replacingAllowedClassesCanOrphanTheDefaultClass() {
            assertThatThrownBy(() -> load("storage: {allowedClasses: [fast-rwo]}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("storage.defaultClasses must be a subset of storage.allowedClasses");
        }

        @Test
        void noEnvironments() {
            assertThatThrownBy(() -> load("environments: []"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("environments must name at least one environment");
        }

        @Test
        void everyProblemIsNamedAtOnce() {
            assertThatThrownBy(() -> load("""
                    logging: {defaultSink: splunk}
                    storage: {defaultClasses: [gold]}
                    tiers: {sandbox: {logging: {defaultDays: 20}}}
                    """))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the standard is invalid: ")
                    .hasMessageContaining("logging.defaultSink")
                    .hasMessageContaining("storage.defaultClasses")
                    .hasMessageContaining("tiers.sandbox.logging.defaultDays");
        }

        @Test
        void misspelledKeyIsRejected() {
            assertThatThrownBy(() -> load("ingressControler: {namespace: traefik}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the standard is invalid")
                    .hasMessageContaining("ingressControler");
        }

        @Test
        void fileThatIsNotAMapping() {
            assertThatThrownBy(() -> load("- prod\n- staging\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be a YAML mapping");
        }
    }

    @Nested
    class Revision {

        @Test
        void equalContentGivesTheSameRevision() throws IOException {
            String override = """
                    ingressController: {namespace: traefik}
                    environments: [prod, qa]
                    """;

            assertThat(load(override).revision()).isEqualTo(load(override).revision());
        }

        @Test
        void keyOrderInTheFileDoesNotMatter() throws IOException {
            LoadedStandard a = load("""
                    monitoring: {namespace: observability}
                    ingressController: {namespace: traefik}
                    dns: {podLabels: {app: coredns, tier: control-plane}}
                    logging: {sinks: {security: [siem], archive: [s3]}}
                    """);
            LoadedStandard b = load("""
                    logging: {sinks: {archive: [s3], security: [siem]}}
                    dns: {podLabels: {tier: control-plane, app: coredns}}
                    ingressController: {namespace: traefik}
                    monitoring: {namespace: observability}
                    """);

            assertThat(a.revision()).isEqualTo(b.revision());
        }

        @Test
        void restatingADefaultIsNoChange() throws IOException {
            assertThat(load("""
                    tiers: {sandbox: {logging: {ceilingDays: 14}}}
                    environments: [prod, staging, dev]
                    """).revision()).isEqualTo(DEFAULTS.revision());
        }

        @Test
        void anyChangeOfContentChangesTheRevision() throws IOException {
            List<String> overrides = List.of(
                    "podSecurity: {version: v1.34}",
                    "tiers: {sandbox: {logging: {ceilingDays: 15}}}",
                    "tiers: {critical: {egress: allow}}",
                    "environments: [prod, staging]",
                    "environments: [staging, prod, dev]",
                    "logging: {flowEnabled: false}",
                    "dns: {podLabels: {k8s-app: coredns}}",
                    "protectedNamespaces: [groundwork-system]");

            for (String override : overrides) {
                assertThat(load(override).revision()).as(override).isNotEqualTo(DEFAULTS.revision());
            }
            assertThat(overrides.stream().map(o -> {
                try {
                    return load(o).revision();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            })).as("each change gives its own revision").doesNotHaveDuplicates();
        }
    }

    @Nested
    class Access {

        @Test
        void defaultsGiveViewInProdAndEditElsewhereSandboxEditEverywhere() {
            Standard standard = DEFAULTS.standard();

            assertThat(standard.access().groupTemplate()).isEqualTo("oidc:{team}");
            assertThat(standard.access().group("payments-sre")).isEqualTo("oidc:payments-sre");
            assertThat(standard.access().bindableRoles()).containsExactly("view", "edit");
            for (Tier tier : List.of(Tier.critical, Tier.standard)) {
                assertThat(standard.tier(tier).access().roleFor("prod")).isEqualTo("view");
                assertThat(standard.tier(tier).access().roleFor("staging")).isEqualTo("edit");
                assertThat(standard.tier(tier).access().roleFor("dev")).isEqualTo("edit");
            }
            for (String env : List.of("prod", "staging", "dev")) {
                assertThat(standard.tier(Tier.sandbox).access().roleFor(env)).isEqualTo("edit");
            }
        }

        @Test
        void anEnvironmentTheRolesDoNotNameGetsTheTiersDefaultRole() throws IOException {
            Standard standard = load("""
                    environments: [prod, staging, dev, perf]
                    tiers: {critical: {access: {defaultRole: view}}}
                    """).standard();

            assertThat(standard.tier(Tier.critical).access().roleFor("perf")).isEqualTo("view");
            assertThat(standard.tier(Tier.standard).access().roleFor("perf")).isEqualTo("edit");
        }

        @Test
        void rolesMergeKeyByKey() throws IOException {
            Standard standard = load("""
                    access: {bindableRoles: [view, edit, admin]}
                    tiers: {sandbox: {access: {roles: {dev: admin}}}}
                    """).standard();

            assertThat(standard.tier(Tier.sandbox).access().roles())
                    .containsOnly(entry("prod", "edit"), entry("staging", "edit"), entry("dev", "admin"));
        }

        @Test
        void aRoleOutsideTheBindableListIsRefused() {
            assertThatThrownBy(() -> load("tiers: {standard: {access: {roles: {dev: admin}}}}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tiers.standard.access.roles.dev admin is not in access.bindableRoles (view, edit)");
            assertThatThrownBy(() -> load("tiers: {critical: {access: {defaultRole: admin}}}"))
                    .hasMessageContaining("tiers.critical.access.defaultRole admin is not in access.bindableRoles");
        }

        @Test
        void narrowingTheBindableListCatchesEveryTierStillUsingARole() {
            assertThatThrownBy(() -> load("access: {bindableRoles: [view]}"))
                    .hasMessageContaining("tiers.critical.access.roles.staging edit is not in access.bindableRoles (view)")
                    .hasMessageContaining("tiers.sandbox.access.roles.prod edit")
                    .hasMessageContaining("tiers.standard.access.defaultRole edit");
        }

        @Test
        void invalidRoleNamesAreRefused() {
            assertThatThrownBy(() -> load("access: {bindableRoles: [view, edit, Edit_Role, \"a/b\"]}"))
                    .hasMessageContaining("access.bindableRoles Edit_Role is not a valid ClusterRole name")
                    .hasMessageContaining("access.bindableRoles a/b is not a valid ClusterRole name");
            assertThatThrownBy(() -> load("access: {bindableRoles: []}"))
                    .hasMessageContaining("access.bindableRoles must name at least one ClusterRole");
        }

        @Test
        void clusterAdminAndSystemRolesAreNeverGivenToATeam() {
            assertThatThrownBy(() -> load("""
                    access: {bindableRoles: [view, edit, cluster-admin, "system:aggregate-to-edit"]}
                    """))
                    .hasMessageContaining("access.bindableRoles cluster-admin must not be given to a team")
                    .hasMessageContaining("access.bindableRoles system:aggregate-to-edit must not be given to a team");
        }

        @Test
        void aRoleNameMayContainColonsAndDots() throws IOException {
            Standard standard = load("""
                    access: {bindableRoles: [view, edit, "team:reader", reader.example.com]}
                    tiers: {sandbox: {access: {roles: {dev: "team:reader", staging: reader.example.com}}}}
                    """).standard();

            assertThat(standard.tier(Tier.sandbox).access().roleFor("dev")).isEqualTo("team:reader");
        }

        @Test
        void theGroupTemplateMustNameTheTeam() {
            assertThatThrownBy(() -> load("access: {groupTemplate: \"oidc:everyone\"}"))
                    .hasMessageContaining("access.groupTemplate must contain {team}");
        }

        @Test
        void aRoleForAnEnvironmentOutsideTheVocabularyIsUnusedNotAnError() throws IOException {
            Standard standard = load("environments: [prod, qa]").standard();

            assertThat(standard.tier(Tier.critical).access().roleFor("qa")).isEqualTo("edit");
        }

        @Test
        void theAccessPartChangesTheRevision() throws IOException {
            assertThat(load("access: {groupTemplate: \"ldap:{team}\"}").revision()).isNotEqualTo(DEFAULTS.revision());
            assertThat(load("tiers: {critical: {access: {roles: {prod: edit}}}}").revision()).isNotEqualTo(DEFAULTS.revision());
        }
    }
}
