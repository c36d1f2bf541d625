package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.AdoptionPolicy;
import dev.groundwork.api.v1alpha1.Tier;

import java.util.List;
import java.util.Map;

/**
 * The platform team's standard: everything the baseline is derived from besides the product itself.
 * Loaded by {@link StandardLoader} from the built-in defaults overlaid with the operator's configuration.
 */
public record Standard(
        PodSecurity podSecurity,
        Map<Tier, TierStandard> tiers,
        StorageClasses storage,
        NamespaceRef ingressController,
        NamespaceRef monitoring,
        Dns dns,
        Logging logging,
        List<String> environments,
        List<String> protectedNamespaces,
        AdoptionPolicy namespaceAdoption,
        Access access) {

    /** A standard stored before adoption needed consent says nothing: it gets the default, {@code Consent}. */
    public Standard {
        namespaceAdoption = namespaceAdoption == null ? AdoptionPolicy.Consent : namespaceAdoption;
    }

    public TierStandard tier(Tier tier) {
        TierStandard standard = tiers.get(tier);
        if (standard == null) {
            throw new IllegalStateException("the standard defines no tier " + tier);
        }
        return standard;
    }

    /** Pod Security Admission version pinned in every namespace's -version labels. */
    public record PodSecurity(String version) {
    }

    public record TierStandard(
            PodSecurityLevels podSecurity,
            Egress egress,
            StorageLimits storage,
            Retention logging,
            TierAccess access) {
    }

    /**
     * The ClusterRole the team gets per environment of the standard's vocabulary.
     *
     * @param defaultRole for an environment that roles does not name
     */
    public record TierAccess(String defaultRole, Map<String, String> roles) {
        public String roleFor(String environment) {
            return roles == null ? defaultRole : roles.getOrDefault(environment, defaultRole);
        }
    }

    public record PodSecurityLevels(String enforce, String warn, String audit) {
    }

    public enum Egress {
        allow, deny
    }

    /** Ceilings a product may not exceed and defaults it gets when it says nothing. */
    public record StorageLimits(String ceilingTotal, int ceilingClaims, String ceilingClaimSize,
                                String defaultTotal, int defaultClaims, String defaultClaimSize) {
    }

    public record Retention(int ceilingDays, int defaultDays) {
    }

    public record StorageClasses(List<String> allowedClasses, List<String> defaultClasses) {
    }

    public record NamespaceRef(String namespace) {
    }

    public record Dns(String namespace, Map<String, String> podLabels) {
    }

    /**
     * flowEnabled: write a kube-logging Flow when its CRD is installed.
     * sinks: sink name to the ClusterOutputs of the log pipeline it sends to.
     */
    public record Logging(boolean flowEnabled, String defaultSink, Map<String, List<String>> sinks) {
    }

    /**
     * Team access, cluster-wide.
     *
     * @param groupTemplate the group a product's team is known by to the cluster's authentication; "{team}" stands
     *                      for spec.team
     * @param bindableRoles the only ClusterRoles tiers may name: the chart grants the operator bind on exactly these
     */
    public record Access(String groupTemplate, List<String> bindableRoles) {
        public static final String TEAM_PLACEHOLDER = "{team}";

        public String group(String team) {
            return groupTemplate.replace(TEAM_PLACEHOLDER, team);
        }
    }

    public boolean allowsEnvironment(String name) {
        return environments.contains(name);
    }
}
