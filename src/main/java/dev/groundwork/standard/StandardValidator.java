package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.kube.Quantities;

import java.util.ArrayList;
import java.util.List;

/** Finds what makes a standard unusable, every problem named at once. */
public final class StandardValidator {
    private StandardValidator() {
    }

    static void validate(Standard standard) {
        List<String> problems = problems(standard);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the standard is invalid: " + String.join("; ", problems));
        }
    }

    /** Problems of the standard's own content (most are also refused at admission; this is the last line). */
    public static List<String> problems(Standard standard) {
        List<String> problems = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            Standard.TierStandard t = standard.tiers() == null ? null : standard.tiers().get(tier);
            if (t == null) {
                problems.add("tiers." + tier + " is missing");
                continue;
            }
            Standard.StorageLimits s = t.storage();
            if (Quantities.compare(s.defaultTotal(), s.ceilingTotal()) > 0) {
                problems.add("tiers." + tier + ".storage.defaultTotal exceeds ceilingTotal");
            }
            if (Quantities.compare(s.defaultClaimSize(), s.ceilingClaimSize()) > 0) {
                problems.add("tiers." + tier + ".storage.defaultClaimSize exceeds ceilingClaimSize");
            }
            if (s.defaultClaims() > s.ceilingClaims()) {
                problems.add("tiers." + tier + ".storage.defaultClaims exceeds ceilingClaims");
            }
            if (t.logging().defaultDays() > t.logging().ceilingDays()) {
                problems.add("tiers." + tier + ".logging.defaultDays exceeds ceilingDays");
            }
            AccessValidator.validateTier(tier, t.access(), standard, problems);
        }
        AccessValidator.validate(standard.access(), problems);
        if (!standard.storage().allowedClasses().containsAll(standard.storage().defaultClasses())) {
            problems.add("storage.defaultClasses must be a subset of storage.allowedClasses");
        }
        if (!standard.logging().sinks().containsKey(standard.logging().defaultSink())) {
            problems.add("logging.defaultSink names no sink in logging.sinks");
        }
        if (standard.environments().isEmpty()) {
            problems.add("environments must name at least one environment");
        }
        return problems;
    }
}
