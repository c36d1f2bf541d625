package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.AdoptionPolicy;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.NetworkingSpec;
import dev.groundwork.api.v1alpha1.Tier;
import dev.groundwork.standard.Standard;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ProductPlatform with every default of the standard filled in and every semantic error found:
 * the single input of the baseline builders.
 *
 * @param problems areas that cannot be applied as declared; nothing is written for them
 */
public record ResolvedProduct(
        String name,
        String team,
        Tier tier,
        Standard.TierStandard tierStandard,
        List<PlannedEnvironment> environments,
        Map<Area, Mode> modes,
        NetworkingSpec networking,
        Storage storage,
        Logging logging,
        Map<Area, Problem> problems,
        Access access,
        AdoptionPolicy adoption) {

    /** An environment and, when it must not be written, why. */
    public record PlannedEnvironment(Environment environment, Optional<Problem> problem) {
    }

    public record Storage(String maxTotal, int maxClaims, String maxClaimSize, List<String> classes) {
    }

    public record Logging(int retentionDays, String sink, List<String> outputs) {
    }

    /**
     * @param group the team's group (the standard's group template applied to spec.team)
     * @param roles environment name to the ClusterRole the standard gives the team there
     */
    public record Access(String group, Map<String, String> roles) {
    }

    public Mode mode(Area area) {
        return modes.get(area);
    }

    public Optional<Problem> problem(Area area) {
        return Optional.ofNullable(problems.get(area));
    }
}
