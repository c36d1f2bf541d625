package dev.groundwork.reconciler;

import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
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

    @Produces
    @Singleton
    OperatorSettings settings(@ConfigProperty(name = "groundwork.operator-namespace") Optional<String> namespace,
                              @ConfigProperty(name = "groundwork.blocked-retry", defaultValue = "15s") Duration blockedRetry,
                              @ConfigProperty(name = "groundwork.rollout.workload-check", defaultValue = "10s") Duration workloadCheck) {
        return new OperatorSettings(namespace.filter(s -> !s.isBlank()), blockedRetry, workloadCheck);
    }
}
