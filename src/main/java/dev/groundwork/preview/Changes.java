package dev.groundwork.preview;

import dev.groundwork.api.v1alpha1.FieldChange;
import dev.groundwork.api.v1alpha1.ObjectChange;
import dev.groundwork.api.v1alpha1.ObjectChangeKind;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.ObjectKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What moving a product from one revision to another does to its baseline: the desired objects of both compared
 * (not the live ones: drift is another matter). An object only the target has is created, one only the current
 * revision has is pruned, one in both whose fields differ is updated.
 */
public final class Changes {
    private Changes() {
    }

    public static List<ObjectChange> between(Baseline from, Baseline to) {
        Map<ObjectKey, DesiredObject> before = byKey(from);
        Map<ObjectKey, DesiredObject> after = byKey(to);
        List<ObjectChange> changes = new ArrayList<>();
        after.forEach((key, desired) -> {
            DesiredObject old = before.get(key);
            if (old == null) {
                changes.add(new ObjectChange(key.toString(), desired.area().name(), ObjectChangeKind.Created, null));
            } else {
                List<FieldChange> fields = ObjectDiff.between(old.object(), desired.object());
                if (!fields.isEmpty()) {
                    changes.add(new ObjectChange(key.toString(), desired.area().name(), ObjectChangeKind.Updated, fields));
                }
            }
        });
        before.forEach((key, desired) -> {
            if (!after.containsKey(key)) {
                changes.add(new ObjectChange(key.toString(), desired.area().name(), ObjectChangeKind.Pruned, null));
            }
        });
        changes.sort(Comparator.comparing(ObjectChange::object));
        return changes;
    }

    public static long count(List<ObjectChange> changes, ObjectChangeKind kind) {
        return changes.stream().filter(c -> c.change() == kind).count();
    }

    private static Map<ObjectKey, DesiredObject> byKey(Baseline baseline) {
        Map<ObjectKey, DesiredObject> objects = new LinkedHashMap<>();
        baseline.environments().forEach(e -> e.objects().forEach(o -> objects.put(o.key(), o)));
        return objects;
    }
}
