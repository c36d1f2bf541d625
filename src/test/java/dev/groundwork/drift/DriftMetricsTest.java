package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ObjectKey;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DriftMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FleetMemory fleet = new FleetMemory();
    private final DriftMetrics metrics = new DriftMetrics(registry, fleet);

    private List<Meter> fleetMeters() {
        return registry.getMeters().stream().filter(m -> !m.getId().getName().startsWith("groundwork.drift.detected")
                && !m.getId().getName().startsWith("groundwork.drift.repaired")).toList();
    }

    private static DriftLedger.Resolved resolved(Instant since, long millis, DriftResolution how) {
        return new DriftLedger.Resolved(new DriftLedger.Open(new ObjectKey("NetworkPolicy", "p-prod", "groundwork-default-deny"),
                Area.networking, since, DriftChange.Missing, List.of(), null, DriftAction.Repaired), since.plusMillis(millis), how);
    }

    @Test
    void fleetMetersDoNotGrowWithTheNumberOfProducts() {
        int before = fleetMeters().size();
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < 1000; i++) {
            String product = "p" + i;
            fleet.of(product).facts(i % 2 == 0 ? "critical" : "sandbox", "rev1", i % 3 == 0);
            metrics.resolved(product, i % 2 == 0 ? "critical" : "sandbox", resolved(t, 80, DriftResolution.Repaired));
        }
        metrics.revisionsChanged();

        assertThat(fleetMeters()).hasSize(before + 1);
        Timer repair = registry.find(DriftMetrics.TIME_TO_REPAIR).tags("area", "networking", "tier", "critical").timer();
        assertThat(repair.count()).isEqualTo(500);
        assertThat(registry.find("groundwork.products.by.revision").tag("revision", "rev1").gauge().value()).isEqualTo(1000);
        assertThat(registry.find("groundwork.products.in.drift").tag("tier", "critical").gauge().value()).isEqualTo(167);
    }

    @Test
    void timeToRepairCountsRepairsOnlyAndTimeInDriftEveryEnd() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        metrics.resolved("p", "standard", resolved(t, 80, DriftResolution.Repaired));
        metrics.resolved("p", "standard", resolved(t, 60_000, DriftResolution.FixedByOthers));

        assertThat(registry.find(DriftMetrics.TIME_TO_REPAIR).tags("area", "networking", "tier", "standard").timer().count()).isEqualTo(1);
        assertThat(registry.find(DriftMetrics.TIME_IN_DRIFT).tags("area", "networking", "tier", "standard").timer().count()).isEqualTo(2);
    }

    @Test
    void aRevisionNoProductUsesHasNoSeries() {
        fleet.of("a").facts("standard", "rev1", false);
        fleet.of("b").facts("standard", "rev2", false);
        metrics.revisionsChanged();
        assertThat(registry.find("groundwork.products.by.revision").gauges()).hasSize(2);

        fleet.of("b").facts("standard", "rev1", false);
        metrics.revisionsChanged();

        assertThat(registry.find("groundwork.products.by.revision").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("revision")).isEqualTo("rev1"));
    }
    /**
     * Right after a start, reconciles of many products report their revision at once. Each registration of the
     * products-per-revision rows used to be computed from a snapshot taken before it was applied, so a slow one could
     * replace a newer set: a revision in use lost its series (the dashboard's panel went blank for it) while
     * a revision no product used any longer kept one. Micrometer logged "This Gauge has been already registered".
     */
    @Test
    void concurrentRevisionChangesLeaveExactlyTheRevisionsInUse() throws Exception {
        int products = 200;
        for (int round = 0; round < 20; round++) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FleetMemory fleet = new FleetMemory();
            DriftMetrics metrics = new DriftMetrics(registry, fleet);
            String from = "old" + round;
            String to = "new" + round;
            for (int i = 0; i < products; i++) {
                fleet.of("p" + i).facts("standard", from, false);
            }
            metrics.revisionsChanged();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < products; i++) {
                String product = "p" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    if (fleet.of(product).facts("standard", to, false)) {
                        metrics.revisionsChanged();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();

            Map<String, Double> series = new TreeMap<>();
            registry.find("groundwork.products.by.revision").gauges()
                    .forEach(g -> series.put(g.getId().getTag("revision"), g.value()));
            assertThat(series).as("round %d", round).containsExactly(Map.entry(to, (double) products));
        }
    }
}
