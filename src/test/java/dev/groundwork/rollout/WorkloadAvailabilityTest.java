package dev.groundwork.rollout;

import dev.groundwork.standard.RolloutProgress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Deployments and StatefulSets of a product are not available, read at most once per interval. */
@EnableKubernetesMockClient(crud = true)
class WorkloadAvailabilityTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    KubernetesMockServer server;
    KubernetesClient client;

    private final ManualClock clock = new ManualClock();

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private WorkloadAvailability availability() {
        return new WorkloadAvailability(client, INTERVAL, clock);
    }

    private static RolloutProgress.Product product(String name, String... namespaces) {
        return new RolloutProgress.Product(name, 0, "r2", true, true, "ok", List.of(namespaces));
    }

    private static Deployment deployment(String namespace, String name, String available) {
        DeploymentBuilder builder = new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata();
        if (available != null) {
            builder.withNewStatus().addNewCondition().withType("Progressing").withStatus("True").endCondition()
                    .addNewCondition().withType("Available").withStatus(available).endCondition().endStatus();
        }
        return builder.build();
    }

    private static StatefulSet statefulSet(String namespace, String name, Integer desired, Integer available) {
        StatefulSetBuilder builder = new StatefulSetBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata().withNewSpec().withReplicas(desired).endSpec();
        if (available != null) {
            builder.withNewStatus().withAvailableReplicas(available).endStatus();
        }
        return builder.build();
    }

    /** Creates the workload in the mock API server; the stored object carries the server's creation time. */
    private <T extends HasMetadata> T create(T workload) {
        return client.resource(workload).create();
    }

    private static RolloutProgress.Workload unavailable(HasMetadata stored) {
        return new RolloutProgress.Workload(stored.getMetadata().getNamespace() + "/" + stored.getKind() + "/"
                + stored.getMetadata().getName(), Instant.parse(stored.getMetadata().getCreationTimestamp()));
    }

    private static List<String> ids(List<RolloutProgress.Workload> workloads) {
        return workloads.stream().map(RolloutProgress.Workload::id).toList();
    }

    @Test
    void aDeploymentIsAvailableOnlyWhenItsControllerSaysAvailableTrue() {
        assertThat(WorkloadAvailability.available(deployment("ns", "new", null))).isFalse();
        assertThat(WorkloadAvailability.available(deployment("ns", "down", "False"))).isFalse();
        assertThat(WorkloadAvailability.available(deployment("ns", "unknown", "Unknown"))).isFalse();
        assertThat(WorkloadAvailability.available(deployment("ns", "up", "True"))).isTrue();
        Deployment progressingOnly = new DeploymentBuilder().withNewStatus().addNewCondition().withType("Progressing")
                .withStatus("True").endCondition().endStatus().build();
        assertThat(WorkloadAvailability.available(progressingOnly)).isFalse();
    }

    @Test
    void aStatefulSetIsAvailableWhenEveryDesiredReplicaIs() {
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", 3, 2))).isFalse();
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", 3, 3))).isTrue();
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", 3, null))).isFalse();
        // No replicas given means one, as the API defaults it.
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", null, 1))).isTrue();
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", null, 0))).isFalse();
        assertThat(WorkloadAvailability.available(statefulSet("ns", "db", 0, null))).isTrue();
    }

    @Test
    void theUnavailableWorkloadsOfEveryNamespaceOfTheProductAreNamedWithTheirCreationTime() {
        Deployment api = create(deployment("shop-prod", "api", "False"));
        create(deployment("shop-prod", "web", "True"));
        StatefulSet db = create(statefulSet("shop-prod", "db", 2, 1));
        create(statefulSet("shop-prod", "cache", 1, 1));
        Deployment stagingApi = create(deployment("shop-staging", "api", null));
        create(deployment("pay-prod", "api", "False"));

        List<RolloutProgress.Workload> found = availability().unavailable(product("shop", "shop-prod", "shop-staging"));

        assertThat(found).containsExactly(unavailable(api), unavailable(db), unavailable(stagingApi));
        assertThat(ids(found)).containsExactly("shop-prod/Deployment/api", "shop-prod/StatefulSet/db",
                "shop-staging/Deployment/api");
    }

    @Test
    void aProductIsListedAtMostOncePerInterval() {
        WorkloadAvailability availability = availability();
        create(deployment("shop-prod", "api", "False"));
        assertThat(ids(availability.unavailable(product("shop", "shop-prod")))).containsExactly("shop-prod/Deployment/api");
        int requests = server.getRequestCount();
        create(deployment("shop-prod", "worker", "False"));
        requests++;

        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(ids(availability.unavailable(product("shop", "shop-prod")))).containsExactly("shop-prod/Deployment/api");
        assertThat(server.getRequestCount()).isEqualTo(requests);

        clock.advance(Duration.ofSeconds(1));
        assertThat(ids(availability.unavailable(product("shop", "shop-prod"))))
                .containsExactlyInAnyOrder("shop-prod/Deployment/api", "shop-prod/Deployment/worker");
        assertThat(server.getRequestCount()).isGreaterThan(requests);
    }

    @Test
    void eachProductHasAReadingOfItsOwn() {
        WorkloadAvailability availability = availability();
        create(deployment("shop-prod", "api", "False"));
        create(deployment("pay-prod", "ledger", "False"));

        assertThat(ids(availability.unavailable(product("shop", "shop-prod")))).containsExactly("shop-prod/Deployment/api");
        assertThat(ids(availability.unavailable(product("pay", "pay-prod")))).containsExactly("pay-prod/Deployment/ledger");
    }

    @Test
    void keepOnlyDropsTheReadingsOfProductsOutsideTheWave() {
        WorkloadAvailability availability = availability();
        availability.unavailable(product("shop", "shop-prod"));
        availability.unavailable(product("pay", "pay-prod"));
        create(deployment("shop-prod", "api", "False"));
        create(deployment("pay-prod", "ledger", "False"));

        availability.keepOnly(Set.of("shop"));

        assertThat(availability.unavailable(product("shop", "shop-prod"))).isEmpty();
        assertThat(ids(availability.unavailable(product("pay", "pay-prod")))).containsExactly("pay-prod/Deployment/ledger");
    }
}
