package dev.groundwork.baseline;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identity of a managed object, printed the way status and events name objects: "Kind namespace/name". */
public record ObjectKey(String kind, String namespace, String name) {

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }
}
