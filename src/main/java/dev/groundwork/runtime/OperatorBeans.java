package dev.groundwork.runtime;

import dev.groundwork.cluster.OperatorSettings;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Quarkus wiring: the standard and the settings come from configuration (the Helm chart renders both). */
public class OperatorBeans {

    @Produces
    @Singleton
    LoadedStandard standard(@ConfigProperty(name = "groundwork.standard.file") Optional<Path> file) {
        return StandardLoader.load(file);
    }

    /**
     * Java Operator SDK's metrics (operator_sdk_reconciliations_*_total and the rest, per resource), recorded in
     * Quarkus' registry. Quarkus Operator SDK 7.7.3's own (default) bean is bound too late in a packaged application
     * and leaves the operator with Metrics.NOOP (quarkiverse/quarkus-operator-sdk#1385, fixed by #1389 after 7.7.3);
     * taking the registry by injection, as that fix does, does not depend on the order.
     */
    @Produces
    @Singleton
    Metrics operatorMetrics(MeterRegistry registry) {
        return MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();
    }

    /**
     * JOSDK times every reconcile per resource with client-side percentiles and a percentile histogram: three
     * HdrHistograms and 69 bucket series per product (69,000 series at 1,000 products) for a distribution nobody looks
     * at per product. Those per-resource timers keep their count, sum and max (what the dashboard and the tests read);
     * percentiles and buckets go.
     */
    @Produces
    @Singleton
    MeterFilter perResourceTimersWithoutDistribution() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().startsWith(EXECUTION_TIMERS) && id.getTag(RESOURCE_NAME_TAG) != null) {
                    return DistributionStatisticConfig.builder().percentiles().percentilesHistogram(false)
                            .serviceLevelObjectives().build().merge(config);
                }
                return config;
            }
        };
    }

    static final String EXECUTION_TIMERS = "operator.sdk.controllers.execution.";
    static final String RESOURCE_NAME_TAG = "resource.name";

    @Produces
    @Singleton
    OperatorSettings settings(@ConfigProperty(name = "groundwork.operator-namespace") Optional<String> namespace,
                              @ConfigProperty(name = "groundwork.blocked-retry", defaultValue = "15s") Duration blockedRetry,
                              @ConfigProperty(name = "groundwork.rollout.workload-check", defaultValue = "10s") Duration workloadCheck,
                              @ConfigProperty(name = "groundwork.preview.recheck", defaultValue = "5m") Duration previewRecheck) {
        return new OperatorSettings(namespace.filter(s -> !s.isBlank()), blockedRetry, workloadCheck, previewRecheck);
    }
}
