package dev.groundwork.baseline;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One object of the baseline, the area it belongs to and the environment it serves. */
public record DesiredObject(Area area, Environment environment, HasMetadata object) {

    public ObjectKey key() {
        return ObjectKey.of(object);
    }
}
