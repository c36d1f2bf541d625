package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.kube.LabelSelectors;

import java.util.List;
import java.util.Map;

/** Which wave of a rollout a product is in: the first wave that matches it, and the last when none does. */
public final class Waves {
    private Waves() {
    }

    /** The index of the product's wave in {@code waves}, which is not empty (admission requires one wave at least). */
    public static int indexOf(List<PlatformStandardSpec.Wave> waves, Map<String, String> labels, Tier tier) {
        for (int i = 0; i < waves.size(); i++) {
            if (matches(waves.get(i), labels, tier)) {
                return i;
            }
        }
        return waves.size() - 1;
    }

    static boolean matches(PlatformStandardSpec.Wave wave, Map<String, String> labels, Tier tier) {
        boolean bySelector = wave.selector() == null || LabelSelectors.matches(wave.selector(), labels);
        boolean byTier = wave.tiers() == null || wave.tiers().isEmpty() || wave.tiers().contains(tier);
        return bySelector && byTier;
    }
}
