package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.EnvironmentSpec;
import dev.groundwork.api.v1alpha1.LoggingSpec;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformSpec;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.api.v1alpha1.StorageSpec;
import dev.groundwork.kube.Quantities;
import dev.groundwork.standard.Standard;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges what the API server could not: the parts of a product that depend on the standard. Each finding
 * becomes a {@link Problem} with a stable reason, and the area it belongs to is not written.
 */
public final class ProductResolver {
    private final Standard standard;
    private final Set<String> protectedNamespaces;

    /** @param protectedNamespaces the standard's protected namespaces plus the operator's own */
    public ProductResolver(Standard standard, Set<String> protectedNamespaces) {
        this.standard = standard;
        this.protectedNamespaces = protectedNamespaces;
    }

    public ResolvedProduct resolve(ProductPlatform product) {
        ProductPlatformSpec spec = product.getSpec();
        String name = product.getMetadata().getName();
        Standard.TierStandard tier = standard.tier(spec.effectiveTier());
        Map<Area, Problem> problems = new EnumMap<>(Area.class);

        ResolvedProduct.Storage storage = resolveStorage(spec.storageOrEmpty(), tier.storage(), problems);
        ResolvedProduct.Logging logging = resolveLogging(spec.loggingOrEmpty(), tier.logging(), problems);

        return new ResolvedProduct(name, spec.team(), spec.effectiveTier(), tier, environments(name, spec),
                modes(spec), spec.networkingOrEmpty(), storage, logging, problems, resolveAccess(spec, tier.access()),
                standard.namespaceAdoption());
    }

    /** Roles come from the standard only; the standard's validation already kept them within the bindable list. */
    private ResolvedProduct.Access resolveAccess(ProductPlatformSpec spec, Standard.TierAccess tierAccess) {
        Map<String, String> roles = new LinkedHashMap<>();
        for (EnvironmentSpec env : spec.environmentsOrEmpty()) {
            roles.put(env.name(), tierAccess.roleFor(env.name()));
        }
        return new ResolvedProduct.Access(standard.access().group(spec.team()), Map.copyOf(roles));
    }

    /** The product's environments and their namespaces, each with the problem that keeps it from being claimed. */
    public List<ResolvedProduct.PlannedEnvironment> environments(ProductPlatform product) {
        return environments(product.getMetadata().getName(), product.getSpec());
    }

    private List<ResolvedProduct.PlannedEnvironment> environments(String product, ProductPlatformSpec spec) {
        List<ResolvedProduct.PlannedEnvironment> planned = new ArrayList<>();
        Set<String> namespaces = new HashSet<>();
        for (EnvironmentSpec env : spec.environmentsOrEmpty()) {
            String namespace = env.namespaceFor(product);
            Optional<Problem> problem = Optional.empty();
            if (!namespaces.add(namespace)) {
                // Admission rejects two explicit namespaces alike; a derived name can still meet an explicit one.
                problem = Optional.of(new Problem(Reason.DuplicateNamespace, "Environment " + env.name() + " names namespace "
                        + namespace + ", which another environment of this product already uses."));
            } else if (!standard.allowsEnvironment(env.name())) {
                problem = Optional.of(new Problem(Reason.EnvironmentNotAllowed, "Environment " + env.name()
                        + " is not one the standard allows (" + String.join(", ", standard.environments()) + ")."));
            } else if (isProtected(namespace)) {
                problem = Optional.of(new Problem(Reason.NamespaceProtected, "Namespace " + namespace
                        + " is protected and cannot be claimed by a product; choose another namespace for environment "
                        + env.name() + "."));
            }
            planned.add(new ResolvedProduct.PlannedEnvironment(new Environment(env.name(), namespace), problem));
        }
        return planned;
    }

    private boolean isProtected(String namespace) {
        return namespace.equals("default") || namespace.startsWith("kube-") || protectedNamespaces.contains(namespace);
    }

    private static Map<Area, Mode> modes(ProductPlatformSpec spec) {
        Map<Area, Mode> modes = new EnumMap<>(Area.class);
        Mode base = spec.effectiveMode();
        modes.put(Area.namespaces, base);
        modes.put(Area.networking, orElse(spec.networkingOrEmpty().mode(), base));
        modes.put(Area.storage, orElse(spec.storageOrEmpty().mode(), base));
        modes.put(Area.logging, orElse(spec.loggingOrEmpty().mode(), base));
        modes.put(Area.access, orElse(spec.accessOrEmpty().mode(), base));
        return modes;
    }

    private static Mode orElse(Mode mode, Mode fallback) {
        return mode == null ? fallback : mode;
    }

    private ResolvedProduct.Storage resolveStorage(StorageSpec spec, Standard.StorageLimits limits,
                                                   Map<Area, Problem> problems) {
        String total = spec.maxTotal() == null ? limits.defaultTotal() : spec.maxTotal();
        int claims = spec.maxClaims() == null ? limits.defaultClaims() : spec.maxClaims();
        String claimSize = spec.maxClaimSize() == null ? limits.defaultClaimSize() : spec.maxClaimSize();
        List<String> classes = spec.classes() == null ? standard.storage().defaultClasses() : spec.classes();

        List<String> notAllowed = classes.stream().filter(c -> !standard.storage().allowedClasses().contains(c)).toList();
        if (!notAllowed.isEmpty()) {
            problems.put(Area.storage, new Problem(Reason.StorageClassNotAllowed, "Storage class " + String.join(", ", notAllowed)
                    + " is not allowed by the standard; allowed: " + String.join(", ", standard.storage().allowedClasses()) + "."));
        } else if (Quantities.compare(total, limits.ceilingTotal()) > 0) {
            problems.put(Area.storage, new Problem(Reason.StorageAboveTierCeiling, "maxTotal " + total
                    + " exceeds the tier ceiling of " + limits.ceilingTotal() + "."));
        } else if (Quantities.compare(claimSize, limits.ceilingClaimSize()) > 0) {
            problems.put(Area.storage, new Problem(Reason.StorageAboveTierCeiling, "maxClaimSize " + claimSize
                    + " exceeds the tier ceiling of " + limits.ceilingClaimSize() + "."));
        } else if (claims > limits.ceilingClaims()) {
            problems.put(Area.storage, new Problem(Reason.StorageAboveTierCeiling, "maxClaims " + claims
                    + " exceeds the tier ceiling of " + limits.ceilingClaims() + "."));
        } else if (Quantities.compare(claimSize, total) > 0) {
            problems.put(Area.storage, new Problem(Reason.ClaimSizeAboveTotal, "maxClaimSize " + claimSize
                    + " exceeds maxTotal " + total + " (one of them comes from the tier default); set both."));
        }
        return new ResolvedProduct.Storage(Quantities.canonical(total), claims, Quantities.canonical(claimSize),
                List.copyOf(classes));
    }

    private ResolvedProduct.Logging resolveLogging(LoggingSpec spec, Standard.Retention retention,
                                                   Map<Area, Problem> problems) {
        int days = spec.retentionDays() == null ? retention.defaultDays() : spec.retentionDays();
        String sink = spec.sink() == null ? standard.logging().defaultSink() : spec.sink();
        List<String> outputs = standard.logging().sinks().get(sink);
        if (outputs == null) {
            problems.put(Area.logging, new Problem(Reason.UnknownLogSink, "Log sink " + sink
                    + " is not defined by the standard; defined sinks: "
                    + String.join(", ", standard.logging().sinks().keySet()) + "."));
            outputs = List.of();
        } else if (days > retention.ceilingDays()) {
            problems.put(Area.logging, new Problem(Reason.RetentionAboveTierCeiling, "retentionDays " + days
                    + " exceeds the tier ceiling of " + retention.ceilingDays() + " days."));
        }
        return new ResolvedProduct.Logging(days, sink, outputs);
    }
}
