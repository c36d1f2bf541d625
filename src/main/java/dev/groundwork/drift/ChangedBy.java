package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attributes drift to a field manager from the live object's managedFields: the manager that now owns a
 * drifted field. A removed field has no owner and its remover leaves no trace there, so it stays unknown rather
 * than being guessed.
 */
public final class ChangedBy {
    private ChangedBy() {
    }

    public static Optional<String> of(HasMetadata live, List<String> fields, String ourManager) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        if (entries == null || entries.isEmpty()) {
            return Optional.empty();
        }
        for (String field : fields) {
            for (ManagedFieldsEntry entry : entries) {
                if (isOurs(entry, ourManager) || entry.getFieldsV1() == null) {
                    continue;
                }
                if (owns(entry.getFieldsV1().getAdditionalProperties(), Arrays.asList(field.split("\\.")))) {
                    return Optional.of(entry.getManager());
                }
            }
        }
        return Optional.empty();
    }

    /** The entry of our own server-side apply: it names every field we set, so it never says who changed one. */
    public static boolean isOurs(ManagedFieldsEntry entry, String ourManager) {
        return ourManager.equals(entry.getManager()) && "Apply".equals(entry.getOperation());
    }

    /**
     * Walks fieldsV1 along the path. A key can contain dots itself (labels, quota keys), so at each level the
     * longest run of segments that names a child is taken.
     */
    @SuppressWarnings("unchecked")
    static boolean owns(Map<String, Object> fields, List<String> path) {
        for (int take = path.size(); take >= 1; take--) {
            Object child = fields.get("f:" + String.join(".", path.subList(0, take)));
            if (child instanceof Map<?, ?> map) {
                return take == path.size() || owns((Map<String, Object>) map, path.subList(take, path.size()));
            }
        }
        return false;
    }
}
