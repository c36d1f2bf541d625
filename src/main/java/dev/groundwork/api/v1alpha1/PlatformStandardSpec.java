package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.List;
import java.util.Map;

/**
 * The platform team's standard as an API: every field has a default (the CRD carries the built-in standard as
 * OpenAPI defaults), so an empty spec is complete and `kubectl get pstd default -o yaml` shows the whole standard.
 * The JSON shape is the one of the chart's `standard:` values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.storage.defaultClasses.all(c, c in self.storage.allowedClasses)",
        message = "every default class must be one of storage.allowedClasses", fieldPath = ".storage.defaultClasses")
@ValidationRule(value = "self.logging.defaultSink in self.logging.sinks",
        message = "logging.defaultSink must name a sink defined in logging.sinks", fieldPath = ".logging.defaultSink")
@ValidationRule(value = PlatformStandardSpec.ROLES_BINDABLE,
        message = "every role a tier gives must be one of access.bindableRoles", fieldPath = ".tiers")
public record PlatformStandardSpec(
        @JsonPropertyDescription("Pod Security Admission version pinned in every product namespace's *-version labels.")
        PodSecurity podSecurity,
        @JsonPropertyDescription("What each tier of product gets: Pod Security levels, egress, storage and logging ceilings "
                + "and defaults, and the team's roles per environment.")
        Tiers tiers,
        @JsonPropertyDescription("StorageClasses products may use, and those they get when they name none.")
        Storage storage,
        @JsonPropertyDescription("Namespace of the ingress controller, allowed to reach every product's pods.")
        NamespaceRef ingressController,
        @JsonPropertyDescription("Namespace of monitoring, allowed to scrape every product's pods.")
        NamespaceRef monitoring,
        @JsonPropertyDescription("Where cluster DNS runs: pods of products whose tier denies egress may reach it.")
        Dns dns,
        @JsonPropertyDescription("Log sinks (name to outputs of the log pipeline) and whether kube-logging Flows are written.")
        Logging logging,
        @Size(min = 1, max = 10)
        @JsonPropertyDescription("The environment names products may use: one vocabulary across products.")
        List<@Pattern(Validation.DNS_LABEL) @Size(max = 15) String> environments,
        @Size(max = 100)
        @JsonPropertyDescription("Namespaces no product may claim, besides kube-*, default and the operator's own.")
        List<@Pattern(Validation.DNS_LABEL) String> protectedNamespaces,
        @JsonPropertyDescription("Whether products may adopt a namespace that exists and that groundwork did not create: "
                + "Consent (default: only one labelled groundwork.dev/adopt=<product> by someone allowed to update it), "
                + "Always, or Never.")
        AdoptionPolicy namespaceAdoption,
        @JsonPropertyDescription("How a product's team is known to the cluster and which roles it may be given.")
        Access access,
        @JsonPropertyDescription("How a new revision of the standard reaches products. Not part of the revision.")
        Rollout rollout) {

    // The tiers are distinct types to CEL, so a rule over all three is spelled out for each.
    static final String ROLES_BINDABLE = "self.tiers.critical.access.defaultRole in self.access.bindableRoles"
            + " && self.tiers.critical.access.roles.all(e, self.tiers.critical.access.roles[e] in self.access.bindableRoles)"
            + " && self.tiers.standard.access.defaultRole in self.access.bindableRoles"
            + " && self.tiers.standard.access.roles.all(e, self.tiers.standard.access.roles[e] in self.access.bindableRoles)"
            + " && self.tiers.sandbox.access.defaultRole in self.access.bindableRoles"
            + " && self.tiers.sandbox.access.roles.all(e, self.tiers.sandbox.access.roles[e] in self.access.bindableRoles)";

    @ValidationRule(value = "self.waves.all(w, self.waves.exists_one(x, x.name == w.name))",
            message = "wave names must be unique", fieldPath = ".waves")
    public record Rollout(
            @JsonPropertyDescription("Waves: a new revision reaches the waves in order, each gated on its products' health "
                    + "and soak time. Immediate: every product moves at once (an emergency fix).")
            Strategy strategy,
            @Size(min = 1, max = 10)
            @JsonPropertyDescription("The waves, in order; a product belongs to the first wave that matches it, and "
                    + "products no wave matches to the last.")
            List<Wave> waves,
            @Pattern(Validation.DURATION)
            @JsonPropertyDescription("A product not healthy on the new revision this long after its wave started has "
                    + "failed, such as 5m.")
            String progressDeadline,
            @Min(0)
            @JsonPropertyDescription("Failed products a wave tolerates; one more halts the rollout.")
            Integer maxFailures,
            @JsonPropertyDescription("true holds each product on the revision it is on; products created meanwhile start "
                    + "on the revision their wave is released for.")
            Boolean paused,
            @JsonPropertyDescription("Halt: a product whose preview of the new revision has a blocking finding (Pod Security, "
                    + "storage) does not move when its wave starts, and the rollout halts naming it and its findings; "
                    + "resume accepts them. Warn: it moves and the findings stay reported.")
            ImpactPolicy impactPolicy) {

        public Rollout(Strategy strategy, List<Wave> waves, String progressDeadline, Integer maxFailures, Boolean paused) {
            this(strategy, waves, progressDeadline, maxFailures, paused, null);
        }
    }

    @ValidationRule(value = "has(self.selector) || (has(self.tiers) && size(self.tiers) > 0)",
            message = "a wave selects products by selector, tiers or both", fieldPath = ".selector")
    public record Wave(
            @Required @Pattern(Validation.DNS_LABEL) @Size(max = 30)
            @JsonPropertyDescription("The wave's name, shown in status and events.")
            String name,
            @JsonPropertyDescription("ProductPlatforms whose labels match (with tiers: and whose tier is listed).")
            LabelSelector selector,
            @JsonPropertyDescription("ProductPlatforms of these tiers (with selector: that also match it).")
            List<Tier> tiers,
            @Pattern(Validation.DURATION)
            @JsonPropertyDescription("How long the wave's products must stay healthy on the new revision before the next "
                    + "wave starts, such as 10m; none by default.")
            String soak) {
    }

    public enum Strategy {
        Waves, Immediate
    }

    public record PodSecurity(
            @Pattern("^v1\\.[0-9]+$|^latest$")
            @JsonPropertyDescription("Pod Security Admission version, such as v1.35 or latest.")
            String version) {
    }

    public record Tiers(
            @JsonPropertyDescription("Business-critical products (default: egress denied, Pod Security restricted).")
            TierSpec critical,
            @JsonPropertyDescription("Most products (default: egress allowed, Pod Security baseline).")
            TierSpec standard,
            @JsonPropertyDescription("Experiments and sandboxes (default: small storage, short log retention).")
            TierSpec sandbox) {
    }

    public record TierSpec(
            @JsonPropertyDescription("Pod Security Admission levels of the tier's namespaces.")
            PodSecurityLevels podSecurity,
            @JsonPropertyDescription("allow: pods may call out freely; deny: only DNS and what the product declares.")
            Egress egress,
            @JsonPropertyDescription("Storage ceilings a product may not exceed and the defaults it gets.")
            StorageLimits storage,
            @JsonPropertyDescription("Log retention ceiling and default, in days.")
            Retention logging,
            @JsonPropertyDescription("The ClusterRole the product's team gets in each environment.")
            TierAccess access) {
    }

    public enum Egress {
        allow, deny
    }

    public enum Level {
        privileged, baseline, restricted
    }

    public record PodSecurityLevels(
            @JsonPropertyDescription("Level pods must meet to be admitted.") Level enforce,
            @JsonPropertyDescription("Level whose violations are shown to the user as warnings.") Level warn,
            @JsonPropertyDescription("Level whose violations are recorded in the audit log.") Level audit) {
    }

    @ValidationRule(value = "isQuantity(self.ceilingTotal) && isQuantity(self.defaultTotal) && isQuantity(self.ceilingClaimSize) "
            + "&& isQuantity(self.defaultClaimSize)", message = "storage sizes must be quantities such as 500Gi")
    @ValidationRule(value = "!isQuantity(self.ceilingTotal) || !isQuantity(self.defaultTotal) "
            + "|| quantity(self.defaultTotal).compareTo(quantity(self.ceilingTotal)) <= 0",
            message = "defaultTotal must not exceed ceilingTotal", fieldPath = ".defaultTotal")
    @ValidationRule(value = "!isQuantity(self.ceilingClaimSize) || !isQuantity(self.defaultClaimSize) "
            + "|| quantity(self.defaultClaimSize).compareTo(quantity(self.ceilingClaimSize)) <= 0",
            message = "defaultClaimSize must not exceed ceilingClaimSize", fieldPath = ".defaultClaimSize")
    @ValidationRule(value = "!isQuantity(self.defaultTotal) || !isQuantity(self.defaultClaimSize) "
            + "|| quantity(self.defaultClaimSize).compareTo(quantity(self.defaultTotal)) <= 0",
            message = "defaultClaimSize must not exceed defaultTotal", fieldPath = ".defaultClaimSize")
    @ValidationRule(value = "self.defaultClaims <= self.ceilingClaims",
            message = "defaultClaims must not exceed ceilingClaims", fieldPath = ".defaultClaims")
    public record StorageLimits(
            @Size(max = 32) @JsonPropertyDescription("Largest maxTotal a product may ask for, per namespace.") String ceilingTotal,
            @Min(0) @Max(10000) @JsonPropertyDescription("Largest maxClaims a product may ask for.") Integer ceilingClaims,
            @Size(max = 32) @JsonPropertyDescription("Largest maxClaimSize a product may ask for.") String ceilingClaimSize,
            @Size(max = 32) @JsonPropertyDescription("maxTotal of a product that names none.") String defaultTotal,
            @Min(0) @Max(10000) @JsonPropertyDescription("maxClaims of a product that names none.") Integer defaultClaims,
            @Size(max = 32) @JsonPropertyDescription("maxClaimSize of a product that names none.") String defaultClaimSize) {
    }

    @ValidationRule(value = "self.defaultDays <= self.ceilingDays", message = "defaultDays must not exceed ceilingDays",
            fieldPath = ".defaultDays")
    public record Retention(
            @Min(1) @Max(3650) @JsonPropertyDescription("Longest retentionDays a product may ask for.") Integer ceilingDays,
            @Min(1) @Max(3650) @JsonPropertyDescription("retentionDays of a product that names none.") Integer defaultDays) {
    }

    public record TierAccess(
            @Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253)
            @JsonPropertyDescription("ClusterRole for an environment that roles does not name.") String defaultRole,
            @Size(max = 10)
            @JsonPropertyDescription("ClusterRole by environment name, e.g. {prod: view, staging: edit}.")
            Map<String, @Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253) String> roles) {
    }

    public record Storage(
            @Size(min = 1, max = 50)
            @JsonPropertyDescription("StorageClasses products may use; every other class gets a zero quota.")
            List<@Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253) String> allowedClasses,
            @Size(min = 1, max = 50)
            @JsonPropertyDescription("Classes a product gets when it names none; each must be allowed.")
            List<@Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253) String> defaultClasses) {
    }

    public record NamespaceRef(
            @Pattern(Validation.DNS_LABEL) @JsonPropertyDescription("Namespace name.") String namespace) {
    }

    public record Dns(
            @Pattern(Validation.DNS_LABEL) @JsonPropertyDescription("Namespace cluster DNS runs in.") String namespace,
            @JsonPropertyDescription("Labels of the DNS pods.") Map<String, String> podLabels) {
    }

    public record Logging(
            @JsonPropertyDescription("Write a kube-logging Flow in each namespace when its CRD is installed.") Boolean flowEnabled,
            @Pattern(Validation.DNS_LABEL) @Size(max = 63) @JsonPropertyDescription("Sink of a product that names none.") String defaultSink,
            @Size(min = 1, max = 50)
            @JsonPropertyDescription("Sink name to the ClusterOutputs of the log pipeline it sends to.")
            Map<String, List<@Size(max = 253) String>> sinks) {
    }

    public record Access(
            @Size(max = 200)
            @Pattern(".*\\{team\\}.*")
            @JsonPropertyDescription("The group a product's team is known by; {team} stands for spec.team, e.g. oidc:{team}.")
            String groupTemplate,
            @Size(min = 1, max = 20)
            @JsonPropertyDescription("The only ClusterRoles tiers may give a team; the chart grants the operator bind on exactly these.")
            List<@Pattern(Validation.DNS_SUBDOMAIN) @Size(max = 253) String> bindableRoles) {
    }
}
