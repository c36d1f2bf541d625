package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.environments.all(e, self.environments.exists_one(f, f.name == e.name))",
        message = "environment names must be unique", fieldPath = ".environments")
@ValidationRule(value = "self.environments.all(e, !has(e.__namespace__) "
        + "|| self.environments.exists_one(f, has(f.__namespace__) && f.__namespace__ == e.__namespace__))",
        message = "two environments must not name the same namespace", fieldPath = ".environments")
public record ProductPlatformSpec(
        @Required
        @Pattern(Validation.DNS_LABEL)
        @Size(max = 63)
        @JsonPropertyDescription("Team that owns the product (DNS-1123 label). Written as a label on every namespace.")
        String team,

        @Default("standard")
        @JsonPropertyDescription("Service tier: critical, standard or sandbox. The standard sets Pod Security level, "
                + "egress default, storage and logging ceilings per tier. Default standard.")
        Tier tier,

        @Default("Enforce")
        @JsonPropertyDescription("Enforce repairs drift at once; Audit writes nothing and reports what Enforce would change. "
                + "Each area may override it. Default Enforce.")
        Mode mode,

        @Required
        @Size(min = 1, max = 10)
        @JsonPropertyDescription("Environments of the product, one namespace each (1 to 10, names unique).")
        List<EnvironmentSpec> environments,

        @JsonPropertyDescription("Network isolation: which other products may call this one, and what it may call.")
        NetworkingSpec networking,

        @JsonPropertyDescription("Storage limits of each environment namespace. Unset fields take the tier defaults.")
        StorageSpec storage,

        @JsonPropertyDescription("Log retention and sink. Unset fields take the tier defaults.")
        LoggingSpec logging,

        @JsonPropertyDescription("Team access: the RoleBinding groundwork-team gives spec.team's group the ClusterRole the "
                + "standard names for the tier and environment. Only its mode can be set here.")
        AccessSpec access,

        @Default("Retain")
        @JsonPropertyDescription("What deletion of the product (or removal of an environment) does to its namespaces: "
                + "Retain leaves them and their baseline in place, no longer managed; Delete removes them, but never a "
                + "namespace holding PersistentVolumeClaims unless the annotation groundwork.dev/allow-data-loss is \"true\". "
                + "Default Retain.")
        DeletionPolicy deletionPolicy) {

    public Tier effectiveTier() {
        return tier == null ? Tier.standard : tier;
    }

    public Mode effectiveMode() {
        return mode == null ? Mode.Enforce : mode;
    }

    public DeletionPolicy effectiveDeletionPolicy() {
        return deletionPolicy == null ? DeletionPolicy.Retain : deletionPolicy;
    }

    public List<EnvironmentSpec> environmentsOrEmpty() {
        return environments == null ? List.of() : environments;
    }

    public NetworkingSpec networkingOrEmpty() {
        return networking == null ? new NetworkingSpec(null, null, null, null) : networking;
    }

    public StorageSpec storageOrEmpty() {
        return storage == null ? new StorageSpec(null, null, null, null, null) : storage;
    }

    public AccessSpec accessOrEmpty() {
        return access == null ? new AccessSpec(null) : access;
    }

    public LoggingSpec loggingOrEmpty() {
        return logging == null ? new LoggingSpec(null, null, null) : logging;
    }
}
