package dev.groundwork.status;

import dev.groundwork.api.v1alpha1.ConditionType;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A product's health as one typed fact: the revision it is on, Ready and InSync, and Ready's reason and message. The
 * products' controller builds it from its own verdicts; the standard's controller and its fleet store read it back
 * from a product's status here, and nowhere else by condition type.
 *
 * @param reason  Ready's reason; empty before the first status or for a reason this build does not know
 * @param message Ready's message, or "no status yet"
 */
public record ProductHealth(String revision, boolean ready, boolean inSync, Optional<Reason> reason, String message) {
    /** The conditions a reader of health needs: a store that keeps only these can still answer {@link #of}. */
    public static final Set<ConditionType> CONDITIONS = EnumSet.of(ConditionType.Ready, ConditionType.InSync);

    private static final String NO_STATUS = "no status yet";

    public static ProductHealth of(ProductPlatformStatus status) {
        if (status == null) {
            return new ProductHealth(null, false, false, Optional.empty(), NO_STATUS);
        }
        List<Condition> conditions = status.conditions() == null ? List.of() : status.conditions();
        Optional<Condition> ready = find(conditions, ConditionType.Ready);
        return new ProductHealth(status.standardRevision(), isTrue(ready), isTrue(find(conditions, ConditionType.InSync)),
                ready.map(Condition::getReason).flatMap(ProductHealth::reason),
                ready.map(Condition::getMessage).orElse(NO_STATUS));
    }

    /** What the products' controller decided in this reconcile, before it is written. */
    public static ProductHealth of(String revision, Verdict ready, Verdict inSync) {
        return new ProductHealth(revision, ready.status(), inSync.status(), Optional.of(ready.reason()), ready.message());
    }

    private static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
        return conditions.stream().filter(type::is).findFirst();
    }

    private static boolean isTrue(Optional<Condition> condition) {
        return condition.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }

    private static Optional<Reason> reason(String name) {
        return Arrays.stream(Reason.values()).filter(r -> r.name().equals(name)).findFirst();
    }
}
