package dev.groundwork.it;

import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The operator's built-in standard with overrides, as the chart's standard file gives them. */
public final class Standards {
    private Standards() {
    }

    public static LoadedStandard fromYaml(String overrides) {
        try {
            Path file = Files.createTempFile("standard-", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, overrides);
            return StandardLoader.load(Optional.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
