package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics (at /q/metrics): drift detected and repaired by product, area and kind; reconcile
 * duration; products by Ready state.
 */
public final class DriftMetrics {
    private final MeterRegistry registry;
    private final Timer reconcile;
    private final Map<String, Boolean> readiness = new ConcurrentHashMap<>();

    public DriftMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reconcile = Timer.builder("groundwork.reconcile.duration")
                .description("Time one reconcile of a product takes")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        for (boolean ready : new boolean[]{true, false}) {
            Gauge.builder("groundwork.products", readiness, r -> r.values().stream().filter(v -> v == ready).count())
                    .description("ProductPlatforms by Ready condition")
                    .tag("ready", Boolean.toString(ready))
                    .register(registry);
        }
    }

    public void detected(String product, Finding finding) {
        counter("groundwork.drift.detected", "Drift detected in managed objects", product, finding).increment();
        if (finding.action() == DriftAction.Repaired) {
            counter("groundwork.drift.repaired", "Drift repaired in managed objects", product, finding).increment();
        }
    }

    private Counter counter(String name, String description, String product, Finding finding) {
        return Counter.builder(name)
                .description(description)
                .tag("product", product)
                .tag("area", finding.area().name())
                .tag("kind", finding.object().kind())
                .register(registry);
    }

    public void reconciled(Duration duration) {
        reconcile.record(duration);
    }

    public void ready(String product, boolean ready) {
        readiness.put(product, ready);
    }

    public void forget(String product) {
        readiness.remove(product);
    }
}
