package dev.groundwork.baseline;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identity of a managed object, printed the way status and events name objects: "Kind namespace/name". */
public record ObjectKey(String kind, String namespace, String name) {

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The inverse of {@link #toString()}, for object names read back from status. */
    public static ObjectKey parse(String printed) {
        int space = printed.indexOf(' ');
        String kind = printed.substring(0, space);
        String rest = printed.substring(space + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? new ObjectKey(kind, null, rest) : new ObjectKey(kind, rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }
}
