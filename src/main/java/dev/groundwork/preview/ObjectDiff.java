package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.FieldChange;
import dev.groundwork.kube.Quantities;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The fields in which two desired versions of one baseline object differ: the object on the revision a product is
 * on against the same object on the target revision. Paths are dotted (map keys as they are, so
 * {@code spec.hard.requests.storage} and {@code metadata.labels.pod-security.kubernetes.io/enforce}), list items
 * {@code [i]}; a scalar gives its old and new value, a list of another length or a map that appears or goes only
 * its path. Quantities compare by value. Of the metadata only labels and annotations count (the rest is identity).
 */
public final class ObjectDiff {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ObjectDiff() {
    }

    public static List<FieldChange> between(HasMetadata from, HasMetadata to) {
        Map<String, Object> before = asMap(from);
        Map<String, Object> after = asMap(to);
        List<FieldChange> changes = new ArrayList<>();
        Map<String, Object> metaBefore = map(before.get("metadata"));
        Map<String, Object> metaAfter = map(after.get("metadata"));
        for (String field : List.of("labels", "annotations")) {
            compare("metadata." + field, metaBefore.get(field), metaAfter.get(field), changes);
        }
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            if (!key.equals("metadata") && !key.equals("apiVersion") && !key.equals("kind") && !key.equals("status")) {
                compare(key, before.get(key), after.get(key), changes);
            }
        }
        return changes;
    }

    private static void compare(String path, Object from, Object to, List<FieldChange> into) {
        if (from instanceof Map<?, ?> && to instanceof Map<?, ?>) {
            Map<String, Object> a = map(from);
            Map<String, Object> b = map(to);
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String key : keys) {
                compare(path + "." + key, a.get(key), b.get(key), into);
            }
        } else if (from instanceof List<?> a && to instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i), into);
            }
        } else if (!same(from, to)) {
            into.add(new FieldChange(path, scalar(from), scalar(to)));
        }
    }

    private static boolean same(Object a, Object b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a instanceof String x && b instanceof String y && Quantities.isValid(x) && Quantities.isValid(y)) {
            return Quantities.compare(x, y) == 0;
        }
        return false;
    }

    private static String scalar(Object value) {
        return value == null || value instanceof Map<?, ?> || value instanceof List<?> ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(HasMetadata object) {
        return SERIALIZATION.convertValue(object, Map.class);
    }
}
