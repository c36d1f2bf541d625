package dev.groundwork.reconciler;

import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
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

    @Produces
    @Singleton
    OperatorSettings settings(@ConfigProperty(name = "groundwork.operator-namespace") Optional<String> namespace,
                              @ConfigProperty(name = "groundwork.blocked-retry", defaultValue = "15s") Duration blockedRetry) {
        return new OperatorSettings(namespace.filter(s -> !s.isBlank()), blockedRetry);
    }
}
