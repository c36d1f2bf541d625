package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.Tier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.groundwork.baseline.Fixtures.resolve;
import static org.assertj.core.api.Assertions.assertThat;

class ProductResolverTest {

    private static Problem problem(ResolvedProduct product, Area area) {
        return product.problem(area).orElseThrow(() -> new AssertionError("expected a problem in " + area
                + " but there is none; problems: " + product.problems()));
    }

    private static Optional<Problem> environmentProblem(ResolvedProduct product, String environment) {
        return product.environments().stream()
                .filter(p -> p.environment().name().equals(environment))
                .findFirst()
                .orElseThrow()
                .problem();
    }

    @Nested
    class Defaults {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "critical, 500Gi, 30, 100Gi, 90",
                "standard, 100Gi, 10, 20Gi,  30",
                "sandbox,  20Gi,  5,  5Gi,   7",
        })
        void unsetStorageAndLoggingTakeTheTierDefaults(String tier, String total, int claims, String claimSize, int days) {
            ResolvedProduct product = Fixtures.minimal("payments", tier);

            assertThat(product.tier()).isEqualTo(Tier.valueOf(tier));
            assertThat(product.tierStandard()).isEqualTo(Fixtures.STANDARD.tier(Tier.valueOf(tier)));
            assertThat(product.storage()).isEqualTo(new ResolvedProduct.Storage(total, claims, claimSize,
                    List.of("standard-rwo")));
            assertThat(product.logging()).isEqualTo(new ResolvedProduct.Logging(days, "default", List.of("cluster-logs")));
            assertThat(product.problems()).isEmpty();
        }

        @Test
        void tierDefaultsToStandard() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments: [{name: prod}]
                    """);

            assertThat(product.tier()).isEqualTo(Tier.standard);
            assertThat(product.tierStandard()).isEqualTo(Fixtures.STANDARD.tier(Tier.standard));
            assertThat(product.storage().maxTotal()).isEqualTo("100Gi");
        }

        @Test
        void identityIsCarried() {
            ResolvedProduct product = Fixtures.minimal("payments", "sandbox");

            assertThat(product.name()).isEqualTo("payments");
            assertThat(product.team()).isEqualTo("payments-team");
        }

        @Test
        void declaredValuesWinOverTheDefaultsAndAreCanonical() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: standard
                    environments: [{name: prod}]
                    storage:
                      maxTotal: 204800Mi
                      maxClaims: 20
                      maxClaimSize: 51200Mi
                      classes: [fast-rwo, standard-rwx]
                    logging:
                      retentionDays: 60
                      sink: audit
                    """);

            assertThat(product.storage()).isEqualTo(new ResolvedProduct.Storage("200Gi", 20, "50Gi",
                    List.of("fast-rwo", "standard-rwx")));
            assertThat(product.logging()).isEqualTo(new ResolvedProduct.Logging(60, "audit",
                    List.of("cluster-logs", "audit-archive")));
            assertThat(product.problems()).isEmpty();
        }

        @Test
        void onlyTheUnsetFieldsTakeDefaults() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: critical
                    environments: [{name: prod}]
                    storage: {maxClaims: 7}
                    logging: {sink: audit}
                    """);

            assertThat(product.storage()).isEqualTo(new ResolvedProduct.Storage("500Gi", 7, "100Gi", List.of("standard-rwo")));
            assertThat(product.logging().retentionDays()).isEqualTo(90);
        }
    }

    @Nested
    class Storage {

        @Test
        void classOutsideTheStandardIsNotAllowed() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments: [{name: prod}]
                    storage: {classes: [standard-rwo, gold-ssd]}
                    """);

            Problem problem = problem(product, Area.storage);
            assertThat(problem.reason()).isEqualTo(Reason.StorageClassNotAllowed);
            assertThat(problem.message()).contains("gold-ssd").contains("standard-rwo, fast-rwo, standard-rwx")
                    .doesNotContain("standard-rwo, gold-ssd");
            assertThat(product.problem(Area.logging)).isEmpty();
            assertThat(product.problem(Area.networking)).isEmpty();
            assertThat(product.problem(Area.namespaces)).isEmpty();
        }

        @ParameterizedTest(name = "{0} maxTotal {1}")
        @CsvSource({
                "critical, 2049Gi, 2Ti",
                "standard, 501Gi,  500Gi",
                "sandbox,  51Gi,   50Gi",
                "sandbox,  51201Mi, 50Gi",
        })
        void totalAboveTheTierCeiling(String tier, String total, String ceiling) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    storage: {maxTotal: %s, maxClaimSize: 1Gi}
                    """.formatted(tier, total));

            Problem problem = problem(product, Area.storage);
            assertThat(problem.reason()).isEqualTo(Reason.StorageAboveTierCeiling);
            assertThat(problem.message()).contains("maxTotal").contains(total).contains(ceiling);
        }

        @ParameterizedTest(name = "{0} maxTotal {1}")
        @CsvSource({
                "critical, 2Ti",
                "critical, 2048Gi",
                "standard, 500Gi",
                "sandbox,  50Gi",
                "sandbox,  51200Mi",
        })
        void totalExactlyAtTheCeilingIsAllowed(String tier, String total) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    storage: {maxTotal: %s}
                    """.formatted(tier, total));

            assertThat(product.problems()).isEmpty();
        }

        @ParameterizedTest(name = "{0} maxClaimSize {2}")
        @CsvSource({
                "critical, 1Ti,   501Gi, 500Gi",
                "standard, 200Gi, 101Gi, 100Gi",
                "sandbox,  50Gi,  11Gi,  10Gi",
        })
        void claimSizeAboveTheTierCeiling(String tier, String total, String claimSize, String ceiling) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    storage: {maxTotal: %s, maxClaimSize: %s}
                    """.formatted(tier, total, claimSize));

            Problem problem = problem(product, Area.storage);
            assertThat(problem.reason()).isEqualTo(Reason.StorageAboveTierCeiling);
            assertThat(problem.message()).contains("maxClaimSize").contains(claimSize).contains(ceiling);
        }

        @ParameterizedTest(name = "{0} maxClaims {1}")
        @CsvSource({
                "critical, 101, 100",
                "standard, 41,  40",
                "sandbox,  11,  10",
        })
        void claimsAboveTheTierCeiling(String tier, int claims, int ceiling) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    storage: {maxClaims: %d}
                    """.formatted(tier, claims));

            Problem problem = problem(product, Area.storage);
            assertThat(problem.reason()).isEqualTo(Reason.StorageAboveTierCeiling);
            assertThat(problem.message()).contains("maxClaims").contains(Integer.toString(claims))
                    .contains(Integer.toString(ceiling));
        }

        @Test
        void claimsExactlyAtTheCeilingAreAllowed() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: sandbox
                    environments: [{name: prod}]
                    storage: {maxClaims: 10}
                    """);

            assertThat(product.problems()).isEmpty();
            assertThat(product.storage().maxClaims()).isEqualTo(10);
        }

        @Test
        void declaredTotalBelowTheDefaultClaimSize() {
            // maxTotal 10Gi is fine on its own, but the standard tier's default maxClaimSize is 20Gi.
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: standard
                    environments: [{name: prod}]
                    storage: {maxTotal: 10Gi}
                    """);

            Problem problem = problem(product, Area.storage);
            assertThat(problem.reason()).isEqualTo(Reason.ClaimSizeAboveTotal);
            assertThat(problem.message()).contains("20Gi").contains("10Gi");
        }

        @Test
        void declaredClaimSizeAboveDeclaredTotal() {
            // Admission rejects this when both are set; the resolver must still judge it on its own.
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: sandbox
                    environments: [{name: prod}]
                    storage: {maxTotal: 4Gi, maxClaimSize: 5Gi}
                    """);

            assertThat(problem(product, Area.storage).reason()).isEqualTo(Reason.ClaimSizeAboveTotal);
        }

        @Test
        void claimSizeEqualToTotalIsAllowed() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: sandbox
                    environments: [{name: prod}]
                    storage: {maxTotal: 10Gi, maxClaimSize: 10240Mi}
                    """);

            assertThat(product.problems()).isEmpty();
            assertThat(product.storage().maxClaimSize()).isEqualTo("10Gi");
        }

        @Test
        void storageProblemLeavesTheOtherAreasAlone() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: sandbox
                    environments: [{name: prod}]
                    storage: {maxTotal: 1Ti}
                    """);

            assertThat(product.problems()).containsOnlyKeys(Area.storage);
            assertThat(product.environments()).allSatisfy(env -> assertThat(env.problem()).isEmpty());
        }
    }

    @Nested
    class Logging {

        @Test
        void sinkTheStandardDoesNotDefine() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments: [{name: prod}]
                    logging: {sink: splunk}
                    """);

            Problem problem = problem(product, Area.logging);
            assertThat(problem.reason()).isEqualTo(Reason.UnknownLogSink);
            assertThat(problem.message()).contains("splunk").contains("default").contains("audit");
            assertThat(product.logging().outputs()).isEmpty();
            assertThat(product.problems()).containsOnlyKeys(Area.logging);
        }

        @ParameterizedTest(name = "{0} retention {1}")
        @CsvSource({
                "critical, 401, 400",
                "standard, 91,  90",
                "sandbox,  15,  14",
        })
        void retentionAboveTheTierCeiling(String tier, int days, int ceiling) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    logging: {retentionDays: %d}
                    """.formatted(tier, days));

            Problem problem = problem(product, Area.logging);
            assertThat(problem.reason()).isEqualTo(Reason.RetentionAboveTierCeiling);
            assertThat(problem.message()).contains(Integer.toString(days)).contains(Integer.toString(ceiling));
            assertThat(product.problems()).containsOnlyKeys(Area.logging);
        }

        @ParameterizedTest(name = "{0} retention {1}")
        @CsvSource({
                "critical, 400",
                "standard, 90",
                "sandbox,  14",
                "sandbox,  1",
        })
        void retentionUpToTheCeilingIsAllowed(String tier, int days) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: %s
                    environments: [{name: prod}]
                    logging: {retentionDays: %d}
                    """.formatted(tier, days));

            assertThat(product.problems()).isEmpty();
            assertThat(product.logging().retentionDays()).isEqualTo(days);
        }

        @Test
        void storageAndLoggingProblemsAreReportedTogether() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: sandbox
                    environments: [{name: prod}]
                    storage: {classes: [gold-ssd]}
                    logging: {retentionDays: 30}
                    """);

            assertThat(problem(product, Area.storage).reason()).isEqualTo(Reason.StorageClassNotAllowed);
            assertThat(problem(product, Area.logging).reason()).isEqualTo(Reason.RetentionAboveTierCeiling);
            assertThat(product.problem(Area.networking)).isEmpty();
        }
    }

    @Nested
    class Environments {

        @Test
        void namespaceIsDerivedOrExplicit() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments:
                      - name: prod
                      - name: staging
                        namespace: pay-stage
                      - name: dev
                    """);

            assertThat(product.environments()).extracting(ResolvedProduct.PlannedEnvironment::environment)
                    .containsExactly(
                            new Environment("prod", "payments-prod"),
                            new Environment("staging", "pay-stage"),
                            new Environment("dev", "payments-dev"));
            assertThat(product.environments()).allSatisfy(env -> assertThat(env.problem()).isEmpty());
        }

        @Test
        void environmentOutsideTheStandardsVocabulary() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments:
                      - name: prod
                      - name: qa
                    """);

            assertThat(environmentProblem(product, "prod")).isEmpty();
            Problem problem = environmentProblem(product, "qa").orElseThrow();
            assertThat(problem.reason()).isEqualTo(Reason.EnvironmentNotAllowed);
            assertThat(problem.message()).contains("qa").contains("prod, staging, dev");
            assertThat(product.problems()).as("an environment problem is not an area problem").isEmpty();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
                "kube-system", "kube-public", "kube-node-lease", "kube-anything",
                "default",
                "groundwork-system", "ingress-nginx", "monitoring", "logging", "cert-manager",
                Fixtures.OPERATOR_NAMESPACE,
        })
        void protectedNamespaceCannotBeClaimed(String namespace) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments:
                      - name: prod
                        namespace: %s
                      - name: staging
                    """.formatted(namespace));

            Problem problem = environmentProblem(product, "prod").orElseThrow();
            assertThat(problem.reason()).isEqualTo(Reason.NamespaceProtected);
            assertThat(problem.message()).contains(namespace).contains("prod");
            assertThat(environmentProblem(product, "staging")).isEmpty();
        }

        @Test
        void derivedNamespaceStartingWithKubeIsProtected() {
            ResolvedProduct product = resolve("kube", """
                    team: platform
                    environments: [{name: dev}]
                    """);

            assertThat(environmentProblem(product, "dev")).map(Problem::reason).contains(Reason.NamespaceProtected);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"kubeflow-prod", "payments-kube-system", "defaults", "monitoring-payments"})
        void namespacesThatOnlyResembleProtectedOnesAreFine(String namespace) {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments:
                      - name: prod
                        namespace: %s
                    """.formatted(namespace));

            assertThat(environmentProblem(product, "prod")).isEmpty();
        }

        @Test
        void operatorNamespaceIsProtectedOnlyWhenTheCallerSaysSo() {
            ResolvedProduct product = new ProductResolver(Fixtures.STANDARD, java.util.Set.of())
                    .resolve(Fixtures.product("payments", """
                            team: payments-sre
                            environments:
                              - name: prod
                                namespace: %s
                            """.formatted(Fixtures.OPERATOR_NAMESPACE)));

            assertThat(environmentProblem(product, "prod")).isEmpty();
        }

        @Test
        void derivedNamespaceMeetingAnExplicitOneIsADuplicate() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments:
                      - name: prod
                        namespace: payments-staging
                      - name: staging
                    """);

            assertThat(environmentProblem(product, "prod")).isEmpty();
            Problem problem = environmentProblem(product, "staging").orElseThrow();
            assertThat(problem.reason()).isEqualTo(Reason.DuplicateNamespace);
            assertThat(problem.message()).contains("payments-staging");
        }
    }

    @Nested
    class Modes {

        @Test
        void everyAreaDefaultsToEnforce() {
            ResolvedProduct product = Fixtures.minimal("payments", "standard");

            assertThat(product.modes()).containsOnlyKeys(Area.values());
            assertThat(product.modes().values()).containsOnly(Mode.Enforce);
        }

        @Test
        void specModeAppliesToEveryArea() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    mode: Audit
                    environments: [{name: prod}]
                    """);

            for (Area area : Area.values()) {
                assertThat(product.mode(area)).as(area.name()).isEqualTo(Mode.Audit);
            }
        }

        @Test
        void areaModeOverridesSpecMode() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    mode: Audit
                    environments: [{name: prod}]
                    networking: {mode: Enforce}
                    logging: {mode: Enforce}
                    """);

            assertThat(product.mode(Area.namespaces)).isEqualTo(Mode.Audit);
            assertThat(product.mode(Area.networking)).isEqualTo(Mode.Enforce);
            assertThat(product.mode(Area.storage)).isEqualTo(Mode.Audit);
            assertThat(product.mode(Area.logging)).isEqualTo(Mode.Enforce);
        }

        @Test
        void accessModeOverridesSpecMode() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments: [{name: prod}]
                    access: {mode: Audit}
                    """);

            assertThat(product.mode(Area.access)).isEqualTo(Mode.Audit);
            assertThat(product.mode(Area.namespaces)).isEqualTo(Mode.Enforce);
        }

        @Test
        void accessResolvesTheGroupAndARolePerEnvironment() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    tier: critical
                    environments: [{name: prod}, {name: dev, namespace: pay-dev}]
                    """);

            assertThat(product.access().group()).isEqualTo("oidc:payments-sre");
            assertThat(product.access().roles()).containsOnly(
                    org.assertj.core.api.Assertions.entry("prod", "view"), org.assertj.core.api.Assertions.entry("dev", "edit"));
            assertThat(product.problem(Area.access)).isEmpty();
        }

        @Test
        void areaInAuditUnderAnEnforcedProduct() {
            ResolvedProduct product = resolve("payments", """
                    team: payments-sre
                    environments: [{name: prod}]
                    storage: {mode: Audit}
                    """);

            assertThat(product.mode(Area.namespaces)).isEqualTo(Mode.Enforce);
            assertThat(product.mode(Area.networking)).isEqualTo(Mode.Enforce);
            assertThat(product.mode(Area.storage)).isEqualTo(Mode.Audit);
            assertThat(product.mode(Area.logging)).isEqualTo(Mode.Enforce);
        }
    }
}
