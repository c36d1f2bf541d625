package dev.groundwork.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where groundwork writes baseline objects: the API server in the operator, a recording fake in unit tests. */
public interface BaselineWriter {
    /** Server-side apply under groundwork's field manager; returns what the API server stored. */
    HasMetadata apply(HasMetadata desired);

    /** Delete and create, for a desired value of a field the API server will not update. */
    HasMetadata recreate(HasMetadata desired, HasMetadata live);

    void delete(HasMetadata live);

    /** Leaves the object in place, no longer managed. */
    void unmanage(HasMetadata live);
}
