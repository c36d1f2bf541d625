package dev.groundwork.cluster;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a Kubernetes model object, as it enters an informer cache, take less memory without changing what it says
 * (every getter returns an equal value, equals and serialization are unchanged):
 * <ul>
 *   <li>strings that repeat across the fleet (names, namespaces, label keys and values, kinds, API versions, ports,
 *       policy types...) are interned, so thousands of cached objects share one copy; uid and resourceVersion, unique
 *       per object, are left as they are;</li>
 *   <li>the empty {@code additionalProperties} map every Fabric8 model object carries (one per nested object, dozens
 *       per NetworkPolicy) is replaced by the one shared empty map.</li>
 * </ul>
 * Cached objects are read, never modified (writes go through builders or clones, which copy the map).
 */
final class CacheCompactor {
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final Set<String> UNIQUE = Set.of("uid", "resourceVersion");
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private CacheCompactor() {
    }

    /** @return the same object, compacted in place */
    static <T> T compact(T object) {
        if (object != null) {
            walk(object, 0);
        }
        return object;
    }

    private static void walk(Object object, int depth) {
        if (depth > 32) {
            return;
        }
        for (Field field : fields(object.getClass())) {
            try {
                Object value = field.get(object);
                if (value == null) {
                    continue;
                }
                if (value instanceof String s) {
                    if (!UNIQUE.contains(field.getName())) {
                        field.set(object, s.intern());
                    }
                } else if (value instanceof Map<?, ?> map) {
                    Object compacted = map(map, field.getName().equals("additionalProperties"), depth);
                    if (compacted != map) {
                        field.set(object, compacted);
                    }
                } else if (value instanceof List<?> list) {
                    list(list, depth);
                } else if (isModel(value)) {
                    walk(value, depth + 1);
                }
            } catch (IllegalAccessException | RuntimeException e) {
                // an object this cannot compact stays as it is
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object map(Map<?, ?> map, boolean additionalProperties, int depth) {
        if (map.isEmpty()) {
            return additionalProperties ? Collections.emptyMap() : map;
        }
        boolean strings = map.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof String);
        if (!strings) {
            // e.g. managedFields' FieldsV1 or a generic resource's content: its model values are compacted in place
            map.values().forEach(v -> {
                if (v != null && isModel(v)) {
                    walk(v, depth + 1);
                }
            });
            return map;
        }
        Map<String, String> interned = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
        ((Map<String, String>) map).forEach((k, v) -> interned.put(k.intern(), v.intern()));
        return interned;
    }

    @SuppressWarnings("unchecked")
    private static void list(List<?> list, int depth) {
        try {
            ListIterator<Object> it = (ListIterator<Object>) list.listIterator();
            while (it.hasNext()) {
                Object v = it.next();
                if (v instanceof String s) {
                    it.set(s.intern());
                } else if (v != null && isModel(v)) {
                    walk(v, depth + 1);
                }
            }
        } catch (UnsupportedOperationException e) {
            // an immutable list stays as it is
        }
    }

    private static boolean isModel(Object value) {
        return value.getClass().getName().startsWith(MODEL_PACKAGE);
    }

    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        fields.add(f);
                    } catch (RuntimeException e) {
                        // not accessible: left alone
                    }
                }
            }
            return List.copyOf(fields);
        });
    }
}
