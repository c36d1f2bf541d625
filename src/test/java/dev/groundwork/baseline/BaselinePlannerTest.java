package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.standard.Standard;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class BaselinePlannerTest {
    private static final BaselinePlanner PLANNER = new BaselinePlanner(Fixtures.STANDARD);
    private static final Function<String, Map<String, String>> NOTHING_LIVE = Fixtures::noLiveAnnotations;

    private static Baseline.EnvironmentBaseline environment(Baseline baseline, String name) {
        return baseline.environments().stream().filter(e -> e.environment().name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> keys(Baseline.EnvironmentBaseline environment) {
        return environment.objects().stream().map(o -> o.key().toString()).toList();
    }

    private static Namespace namespace(Baseline.EnvironmentBaseline environment) {
        return (Namespace) environment.objects().get(0).object();
    }

    private static List<Area> areas(Baseline.EnvironmentBaseline environment) {
        return environment.objects().stream().map(DesiredObject::area).distinct().toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void objectsComeNamespaceFirstThenAreaByArea(String tier) {
        ResolvedProduct product = Fixtures.everything("payments", tier);

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(true, "standard-rwo"), NOTHING_LIVE);

        assertThat(baseline.environments()).hasSize(2).allSatisfy(env -> {
            assertThat(env.problem()).isEmpty();
            assertThat(keys(env).get(0)).isEqualTo("Namespace " + env.environment().namespace());
            assertThat(areas(env)).containsExactly(Area.namespaces, Area.networking, Area.storage, Area.logging, Area.access);
            assertThat(env.objects()).filteredOn(o -> o.area() == Area.access).extracting(o -> o.key().toString())
                    .containsExactly("RoleBinding " + env.environment().namespace() + "/groundwork-team");
            assertThat(env.objects()).filteredOn(o -> o.area() == Area.namespaces).hasSize(1);
            assertThat(env.objects()).filteredOn(o -> o.area() == Area.storage).extracting(o -> o.key().toString())
                    .containsExactly("ResourceQuota " + env.environment().namespace() + "/groundwork-storage",
                            "LimitRange " + env.environment().namespace() + "/groundwork-storage");
            assertThat(env.objects()).filteredOn(o -> o.area() == Area.logging).extracting(o -> o.key().toString())
                    .containsExactly("Flow " + env.environment().namespace() + "/groundwork-logging");
            assertThat(env.objects()).filteredOn(o -> o.area() == Area.networking)
                    .allSatisfy(o -> assertThat(o.key().kind()).isEqualTo("NetworkPolicy"));
            assertThat(env.objects()).allSatisfy(o -> assertThat(o.environment()).isEqualTo(env.environment()));
        });
    }

    @Test
    void everyAreaContributesItsObjects() {
        ResolvedProduct product = Fixtures.everything("payments", "critical");

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(true, "standard-rwo"), NOTHING_LIVE);

        assertThat(baseline.product()).isSameAs(product);
        assertThat(baseline.environments()).extracting(e -> e.environment().name()).containsExactly("prod", "staging");
        Baseline.EnvironmentBaseline prod = environment(baseline, "prod");
        assertThat(prod.problem()).isEmpty();
        assertThat(keys(prod)).containsExactly(
                "Namespace payments-prod",
                "NetworkPolicy payments-prod/groundwork-default-deny",
                "NetworkPolicy payments-prod/groundwork-allow-same-namespace",
                "NetworkPolicy payments-prod/groundwork-allow-dns",
                "NetworkPolicy payments-prod/groundwork-allow-ingress-controller",
                "NetworkPolicy payments-prod/groundwork-allow-monitoring",
                "NetworkPolicy payments-prod/groundwork-allow-from-products",
                "NetworkPolicy payments-prod/groundwork-allow-egress",
                "ResourceQuota payments-prod/groundwork-storage",
                "LimitRange payments-prod/groundwork-storage",
                "Flow payments-prod/groundwork-logging",
                "RoleBinding payments-prod/groundwork-team");
        assertThat(prod.objects()).allSatisfy(o -> assertThat(o.environment()).isEqualTo(new Environment("prod", "payments-prod")));
        assertThat(keys(environment(baseline, "staging"))).hasSize(12)
                .allSatisfy(key -> assertThat(key).contains("payments-stage"));
    }

    @Test
    void namespaceCarriesTheContractAnnotations() {
        ResolvedProduct product = Fixtures.everything("payments", "standard");

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(false), NOTHING_LIVE);

        assertThat(namespace(environment(baseline, "prod")).getMetadata().getAnnotations()).containsOnly(
                entry(Labels.LOG_SINK, "audit"),
                entry(Labels.LOG_RETENTION_DAYS, "30"),
                entry(Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo,fast-rwo"));
    }

    @Test
    void declaredValuesWinOverLiveAnnotationsWhenTheAreaIsFine() {
        ResolvedProduct product = Fixtures.minimal("payments", "sandbox");

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(false), ns -> Map.of(
                Labels.LOG_SINK, "audit", Labels.LOG_RETENTION_DAYS, "999", Labels.ALLOWED_STORAGE_CLASSES, "gold"));

        assertThat(namespace(environment(baseline, "prod")).getMetadata().getAnnotations()).containsOnly(
                entry(Labels.LOG_SINK, "default"),
                entry(Labels.LOG_RETENTION_DAYS, "7"),
                entry(Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo"));
    }

    @Test
    void withoutTheFlowApiLoggingIsOnlyTheAnnotations() {
        ResolvedProduct product = Fixtures.minimal("payments", "standard");

        Baseline.EnvironmentBaseline prod = environment(PLANNER.plan(product, Fixtures.facts(false), NOTHING_LIVE), "prod");

        assertThat(keys(prod)).noneMatch(key -> key.startsWith("Flow "));
        assertThat(areas(prod)).doesNotContain(Area.logging);
        assertThat(namespace(prod).getMetadata().getAnnotations()).containsKeys(Labels.LOG_SINK, Labels.LOG_RETENTION_DAYS);
    }

    @Test
    void standardCanSwitchTheFlowOff() {
        Standard standard = Fixtures.withLogging(Fixtures.STANDARD,
                new Standard.Logging(false, "default", Fixtures.STANDARD.logging().sinks()));
        ResolvedProduct product = Fixtures.resolve(standard, Fixtures.product("payments", """
                team: payments-sre
                environments: [{name: prod}]
                """));

        Baseline baseline = new BaselinePlanner(standard).plan(product, Fixtures.facts(true), NOTHING_LIVE);

        assertThat(keys(environment(baseline, "prod"))).noneMatch(key -> key.startsWith("Flow "));
    }

    @Test
    void clusterStorageClassesReachTheQuota() {
        ResolvedProduct product = Fixtures.minimal("payments", "standard");

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(false, "standard-rwo", "premium"), NOTHING_LIVE);

        ResourceQuota quota = (ResourceQuota) environment(baseline, "prod").objects().stream()
                .filter(o -> o.object() instanceof ResourceQuota).findFirst().orElseThrow().object();
        assertThat(quota.getSpec().getHard().get("premium.storageclass.storage.k8s.io/requests.storage").toString())
                .isEqualTo("0");
    }

    @Test
    void storageProblemWritesNoStorageObjectsAndKeepsTheLiveClassesAnnotation() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                tier: sandbox
                environments: [{name: prod}]
                storage: {classes: [gold-ssd]}
                """);
        List<String> asked = new ArrayList<>();

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(true, "standard-rwo"), ns -> {
            asked.add(ns);
            return Map.of(Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo", Labels.LOG_SINK, "audit", "other", "x");
        });

        Baseline.EnvironmentBaseline prod = environment(baseline, "prod");
        assertThat(asked).containsExactly("payments-prod");
        assertThat(prod.problem()).as("an area problem is not an environment problem").isEmpty();
        assertThat(areas(prod)).containsExactly(Area.namespaces, Area.networking, Area.logging, Area.access);
        assertThat(keys(prod)).noneMatch(key -> key.contains("groundwork-storage"));
        assertThat(namespace(prod).getMetadata().getAnnotations()).containsOnly(
                entry(Labels.LOG_SINK, "default"),
                entry(Labels.LOG_RETENTION_DAYS, "7"),
                entry(Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo"));
    }

    @Test
    void storageProblemOnANewNamespaceWritesNoClassesAnnotation() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                tier: sandbox
                environments: [{name: prod}]
                storage: {maxTotal: 1Ti}
                """);

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(false), NOTHING_LIVE);

        assertThat(namespace(environment(baseline, "prod")).getMetadata().getAnnotations())
                .containsOnlyKeys(Labels.LOG_SINK, Labels.LOG_RETENTION_DAYS);
    }

    @Test
    void loggingProblemWritesNoFlowAndKeepsTheLiveLoggingAnnotations() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                tier: standard
                environments: [{name: prod}]
                logging: {sink: splunk}
                """);

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(true, "standard-rwo"),
                ns -> Map.of(Labels.LOG_SINK, "audit", Labels.LOG_RETENTION_DAYS, "60", Labels.ALLOWED_STORAGE_CLASSES, "gold"));

        Baseline.EnvironmentBaseline prod = environment(baseline, "prod");
        assertThat(areas(prod)).containsExactly(Area.namespaces, Area.networking, Area.storage, Area.access);
        assertThat(keys(prod)).noneMatch(key -> key.startsWith("Flow "));
        assertThat(namespace(prod).getMetadata().getAnnotations()).containsOnly(
                entry(Labels.LOG_SINK, "audit"),
                entry(Labels.LOG_RETENTION_DAYS, "60"),
                entry(Labels.ALLOWED_STORAGE_CLASSES, "standard-rwo"));
    }

    @Test
    void loggingAndStorageProblemsOnANewNamespaceLeaveNoAnnotations() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                tier: sandbox
                environments: [{name: prod}]
                storage: {classes: [gold-ssd]}
                logging: {retentionDays: 100}
                """);

        Baseline.EnvironmentBaseline prod = environment(PLANNER.plan(product, Fixtures.facts(true), NOTHING_LIVE), "prod");

        assertThat(areas(prod)).containsExactly(Area.namespaces, Area.networking, Area.access);
        assertThat(namespace(prod).getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void environmentWithAProblemHasNoObjectsAndTheOthersAreUnaffected() {
        ResolvedProduct product = Fixtures.resolve("payments", """
                team: payments-sre
                tier: critical
                environments:
                  - name: prod
                    namespace: kube-payments
                  - name: qa
                  - name: staging
                """);

        Baseline baseline = PLANNER.plan(product, Fixtures.facts(true, "standard-rwo"), NOTHING_LIVE);

        assertThat(baseline.environments()).extracting(e -> e.environment().name()).containsExactly("prod", "qa", "staging");
        Baseline.EnvironmentBaseline prod = environment(baseline, "prod");
        assertThat(prod.problem()).map(Problem::reason).contains(Reason.NamespaceProtected);
        assertThat(prod.objects()).isEmpty();
        Baseline.EnvironmentBaseline qa = environment(baseline, "qa");
        assertThat(qa.problem()).map(Problem::reason).contains(Reason.EnvironmentNotAllowed);
        assertThat(qa.objects()).isEmpty();
        Baseline.EnvironmentBaseline staging = environment(baseline, "staging");
        assertThat(staging.problem()).isEmpty();
        assertThat(keys(staging)).first().isEqualTo("Namespace payments-staging");
        assertThat(keys(staging)).hasSize(10).last().isEqualTo("RoleBinding payments-staging/groundwork-team");
    }
}
