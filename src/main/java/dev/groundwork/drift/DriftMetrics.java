package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftResolution;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.baseline.Area;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;


/**
 * Prometheus metrics (at /q/metrics): drift detected and repaired by product, area and kind; products by Ready
 * state, in drift by tier and by standard revision; histograms of time to repair and time in drift by area and tier.
 * The fleet metrics carry no product label, so their series count does not grow with the number of products.
 * Reconcile durations are JOSDK's own (operator_sdk_controllers_execution_reconcile_seconds).
 */
public final class DriftMetrics {
    public static final String TIME_TO_REPAIR = "groundwork.drift.time.to.repair";
    public static final String TIME_IN_DRIFT = "groundwork.drift.time.in.drift";
    /** Repairs are expected within a second; a repair backed off by a fighting writer waits up to 5 minutes. */
    static final Duration[] REPAIR_BUCKETS = durations("50ms", "100ms", "250ms", "500ms", "1s", "2.5s", "5s", "10s",
            "30s", "1m", "5m", "15m", "1h");
    /** Audit drift can last days: 1 s to 7 days. */
    static final Duration[] DRIFT_BUCKETS = durations("1s", "10s", "1m", "5m", "15m", "1h", "6h", "1d", "3d", "7d");

    private final MeterRegistry registry;
    private final FleetMemory fleet;
    private final MultiGauge byRevision;

    public DriftMetrics(MeterRegistry registry, FleetMemory fleet) {
        this.registry = registry;
        this.fleet = fleet;
        for (boolean ready : new boolean[]{true, false}) {
            Gauge.builder("groundwork.products", fleet, f -> f.countReady(ready))
                    .description("ProductPlatforms by Ready condition")
                    .tag("ready", Boolean.toString(ready))
                    .register(registry);
        }
        for (Tier tier : Tier.values()) {
            Gauge.builder("groundwork.products.in.drift", fleet, f -> f.countInDrift(tier.name()))
                    .description("ProductPlatforms with drift outstanding, by tier")
                    .tag("tier", tier.name())
                    .register(registry);
        }
        byRevision = MultiGauge.builder("groundwork.products.by.revision")
                .description("ProductPlatforms by the standard revision they were last reconciled against")
                .register(registry);
        // Register the histograms' series up front, so a dashboard finds them before the first drift.
        for (Area area : Area.values()) {
            for (Tier tier : Tier.values()) {
                timer(TIME_TO_REPAIR, area.name(), tier.name());
                timer(TIME_IN_DRIFT, area.name(), tier.name());
            }
        }
    }

    private static Duration[] durations(String... values) {
        return Arrays.stream(values).map(v -> switch (v.replaceAll("[0-9.]", "")) {
            case "ms" -> Duration.ofMillis(Long.parseLong(v.replace("ms", "")));
            case "s" -> Duration.ofMillis((long) (Double.parseDouble(v.replace("s", "")) * 1000));
            case "m" -> Duration.ofMinutes(Long.parseLong(v.replace("m", "")));
            case "h" -> Duration.ofHours(Long.parseLong(v.replace("h", "")));
            case "d" -> Duration.ofDays(Long.parseLong(v.replace("d", "")));
            default -> throw new IllegalArgumentException(v);
        }).toArray(Duration[]::new);
    }

    private Timer timer(String name, String area, String tier) {
        boolean repair = TIME_TO_REPAIR.equals(name);
        return Timer.builder(name)
                .description(repair ? "Time from a drift first seen to its repair by groundwork"
                        : "Time from a drift first seen to its end (repaired, fixed by others or withdrawn)")
                .tag("area", area)
                .tag("tier", tier)
                .publishPercentileHistogram(false)
                .serviceLevelObjectives(repair ? REPAIR_BUCKETS : DRIFT_BUCKETS)
                .register(registry);
    }

    public void detected(String product, Finding finding) {
        counter("groundwork.drift.detected", "Drift detected in managed objects", product, finding.area().name(),
                finding.object().kind()).increment();
    }

    /** A drift ended: its durations into the histograms, and a repair into the product's counter. */
    public void resolved(String product, String tier, DriftLedger.Resolved resolved) {
        String area = resolved.drift().area().name();
        Duration took = resolved.duration().isNegative() ? Duration.ZERO : resolved.duration();
        timer(TIME_IN_DRIFT, area, tier).record(took);
        if (resolved.how() == DriftResolution.Repaired) {
            timer(TIME_TO_REPAIR, area, tier).record(took);
            counter("groundwork.drift.repaired", "Drift repaired in managed objects", product, area,
                    resolved.drift().object().kind()).increment();
        }
    }

    /**
     * The set of revisions in use changed: one series per revision in use, none for revisions gone. Reconciles call it
     * concurrently: one at a time, each reading the fleet inside the lock, so the last registration applied is computed
     * from the latest fleet (MultiGauge's own update may re-run and apply an older set after a newer one). Rows that
     * stay are kept, not registered again: their value is read from the fleet at each scrape.
     */
    public synchronized void revisionsChanged() {
        Map<String, Long> counts = fleet.countByRevision();
        byRevision.register(counts.keySet().stream()
                .map(r -> MultiGauge.Row.of(Tags.of("revision", r), fleet, f -> f.countByRevision().getOrDefault(r, 0L)))
                .toList(), false);
    }

    private Counter counter(String name, String description, String product, String area, String kind) {
        return Counter.builder(name)
                .description(description)
                .tag("product", product)
                .tag("area", area)
                .tag("kind", kind)
                .register(registry);
    }

    /** A deleted product's series go with it. */
    public void forget(String product) {
        for (String name : new String[]{"groundwork.drift.detected", "groundwork.drift.repaired"}) {
            registry.find(name).tag("product", product).meters().forEach(registry::remove);
        }
        revisionsChanged();
    }

}
