package dev.groundwork.drift;

import dev.groundwork.api.v1alpha1.DriftAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;


/**
 * Prometheus metrics (at /q/metrics): drift detected and repaired by product, area and kind; products by Ready
 * state. Reconcile durations are JOSDK's own (operator_sdk_controllers_execution_reconcile_seconds).
 */
public final class DriftMetrics {
    private final MeterRegistry registry;

    public DriftMetrics(MeterRegistry registry, FleetMemory fleet) {
        this.registry = registry;
        for (boolean ready : new boolean[]{true, false}) {
            Gauge.builder("groundwork.products", fleet, f -> f.countReady(ready))
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

    /** A deleted product's series go with it. */
    public void forget(String product) {
        for (String name : new String[]{"groundwork.drift.detected", "groundwork.drift.repaired"}) {
            registry.find(name).tag("product", product).meters().forEach(registry::remove);
        }
    }
}
