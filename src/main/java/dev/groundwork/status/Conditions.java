package dev.groundwork.status;

import dev.groundwork.api.v1alpha1.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** metav1.Condition semantics: lastTransitionTime changes only when the status flips. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private final List<Condition> previous;
    private final long generation;
    private final List<Condition> next = new ArrayList<>();

    public Conditions(List<Condition> previous, long generation) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
    }

    public Conditions set(ConditionType type, Verdict verdict) {
        return set(type.name(), verdict.status() ? TRUE : FALSE, verdict.reason().name(), verdict.message());
    }

    /** Carries a condition over as it was. */
    public Conditions keep(Condition condition) {
        return set(condition.getType(), condition.getStatus(), condition.getReason(), condition.getMessage());
    }

    private Conditions set(String type, String value, String reason, String message) {
        String transition = previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }
}
