package dev.groundwork.drift;

import dev.groundwork.kube.Quantities;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the fields groundwork sets on an object with the live object, after the API server's normalisation.
 *
 * <p>Only the fields present in the desired object are compared: with server-side apply those are exactly the
 * fields groundwork owns, so labels, annotations and fields added by others are never drift. Lists are atomic
 * in the kinds we manage and are compared element by element; sets (policyTypes) as sets; quantities by value.
 */
public final class FieldComparator {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Fields whose list order carries no meaning. */
    private static final Set<String> SET_FIELDS = Set.of("spec.policyTypes");

    private FieldComparator() {
    }

    /** @return the paths of owned fields whose live value differs; empty when the object is in sync */
    public static List<String> differences(HasMetadata desired, HasMetadata live) {
        Map<String, Object> want = asMap(desired);
        Map<String, Object> have = asMap(live);
        List<String> paths = new ArrayList<>();
        compareMetadata(want, have, "labels", paths);
        compareMetadata(want, have, "annotations", paths);
        for (Map.Entry<String, Object> entry : want.entrySet()) {
            String key = entry.getKey();
            if (!key.equals("metadata") && !key.equals("apiVersion") && !key.equals("kind")) {
                compareSubset(key, entry.getValue(), have.get(key), paths);
            }
        }
        return paths;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(HasMetadata object) {
        return SERIALIZATION.convertValue(object, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static void compareMetadata(Map<String, Object> want, Map<String, Object> have, String field, List<String> paths) {
        Map<String, Object> wantMeta = (Map<String, Object>) want.getOrDefault("metadata", Map.of());
        Map<String, Object> haveMeta = (Map<String, Object>) have.getOrDefault("metadata", Map.of());
        Map<String, Object> wanted = (Map<String, Object>) wantMeta.get(field);
        if (wanted == null) {
            return;
        }
        Map<String, Object> actual = (Map<String, Object>) haveMeta.getOrDefault(field, Map.of());
        for (Map.Entry<String, Object> entry : wanted.entrySet()) {
            if (!Objects.equals(entry.getValue(), actual.get(entry.getKey()))) {
                paths.add("metadata." + field + "." + entry.getKey());
            }
        }
    }

    /** Desired maps are compared key by key (others may add keys); everything else must be equal. */
    @SuppressWarnings("unchecked")
    private static void compareSubset(String path, Object want, Object have, List<String> paths) {
        if (want instanceof Map<?, ?> wantMap && have instanceof Map<?, ?> haveMap) {
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) wantMap).entrySet()) {
                compareSubset(path + "." + entry.getKey(), entry.getValue(), haveMap.get(entry.getKey()), paths);
            }
        } else if (!equal(path, want, have)) {
            paths.add(path);
        }
    }

    private static boolean equal(String path, Object want, Object have) {
        if (want instanceof Map<?, ?> wantMap) {
            return isEmpty(want) ? isEmpty(have) : have instanceof Map<?, ?> haveMap && mapsEqual(path, wantMap, haveMap);
        }
        if (want instanceof List<?> wantList) {
            if (!(have instanceof List<?> haveList)) {
                return wantList.isEmpty() && have == null;
            }
            if (SET_FIELDS.contains(path)) {
                return new HashSet<>(wantList).equals(new HashSet<>(haveList));
            }
            if (wantList.size() != haveList.size()) {
                return false;
            }
            for (int i = 0; i < wantList.size(); i++) {
                if (!equal(path + "[]", wantList.get(i), haveList.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof String wantString && have instanceof String haveString && !wantString.equals(haveString)
                && isQuantityPath(path) && Quantities.isValid(wantString) && Quantities.isValid(haveString)) {
            return Quantities.compare(wantString, haveString) == 0;
        }
        if (want instanceof Number wantNumber && have instanceof Number haveNumber) {
            return wantNumber.longValue() == haveNumber.longValue();
        }
        return Objects.equals(want, have);
    }

    /** Inside a list element every key counts, except empty values the server drops. */
    private static boolean mapsEqual(String path, Map<?, ?> want, Map<?, ?> have) {
        Set<Object> keys = new HashSet<>(want.keySet());
        keys.addAll(have.keySet());
        for (Object key : keys) {
            Object w = want.get(key);
            Object h = have.get(key);
            if (isEmpty(w) && isEmpty(h)) {
                continue;
            }
            if (w == null || h == null || !equal(path + "." + key, w, h)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof Map<?, ?> m && m.isEmpty()) || (value instanceof List<?> l && l.isEmpty());
    }

    private static boolean isQuantityPath(String path) {
        return path.startsWith("spec.hard.") || path.startsWith("spec.limits[]");
    }
}
