package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandard;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which revision of the standard a product is on: the one decision, made here. With strategy Immediate every
 * product moves to the newest valid revision at once; a paused rollout holds each product on the revision it is on
 * (a product new to the operator starts on the newest). With no PlatformStandard, or none valid yet, the built-in
 * standard applies.
 */
public final class RevisionChoice {
    private RevisionChoice() {
    }

    /**
     * @param standard the PlatformStandard, if there is one
     * @param current  the revision the product's status names, if any
     * @param stored   whether a revision is stored (so it can be reconciled against)
     * @param builtIn  the built-in standard's revision
     */
    public static String revisionFor(Optional<PlatformStandard> standard, Optional<String> current,
                                     Predicate<String> stored, String builtIn) {
        if (standard.isEmpty()) {
            return builtIn;
        }
        Optional<String> target = standard.map(PlatformStandard::getStatus).map(s -> s.revision()).filter(stored);
        if (target.isEmpty()) {
            // Never valid yet: products stay where they are.
            return current.filter(stored).orElse(builtIn);
        }
        boolean paused = standard.map(PlatformStandard::getSpec).map(s -> s.rollout())
                .map(r -> Boolean.TRUE.equals(r.paused())).orElse(false);
        if (paused && current.filter(stored).isPresent()) {
            return current.get();
        }
        return target.get();
    }
}
