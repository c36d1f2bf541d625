package dev.groundwork.product;

import dev.groundwork.api.v1alpha1.ConditionType;
import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftStatus;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.Problem;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.drift.Finding;
import dev.groundwork.standard.Standard;
import dev.groundwork.status.Conditions;
import dev.groundwork.status.ProductHealth;
import dev.groundwork.status.Verdict;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one owner of a product's status: which conditions it has, their precedence, and the wording of everything but
 * problems. Producers hand it typed facts (the resolved product, the cluster facts, what the sync found and did, what
 * deletion is waiting for); a {@link Problem} is worded where it is found (the resolver, the sync, the deletion
 * policy), since only its finder knows what the user must change, and is carried here with its reason as is.
 *
 * <p>One precedence rule for the whole status, from worst to best: a problem that keeps part of the spec from being
 * applied, then an apply the API server refused ({@code ApplyFailed}), then repairs held back by a writer that
 * keeps fighting ({@code RepairBackedOff}), then drift reported in Audit mode ({@code DriftReported}), then in
 * place. Each area's condition and InSync apply it; Ready is {@code DeletionBlocked} while deletion waits,
 * {@code ReconcileFailed} after an error outside the apply path, else the worst area (areas in their fixed order
 * break ties), else Ready.
 */
final class StatusAggregator {
    private static final int LISTED = 5;

    /** What one reconcile established about a product. */
    record Facts(ResolvedProduct product, ClusterFacts cluster, boolean flowEnabled, String revision, boolean builtInStandard,
                 ProductSync.Result sync, List<NamespaceStatus> releasedNamespaces, Optional<Problem> deletionBlocked,
                 DriftStatus drift) {
    }

    /** What a reconcile reports: the status to write and the product's health as the verdicts say it. */
    record Reported(ProductPlatformStatus status, ProductHealth health) {
    }

    private StatusAggregator() {
    }

    static Reported reconciled(ProductPlatform product, Facts facts) {
        ProductPlatformStatus previous = product.getStatus();
        long generation = generation(product);
        Conditions conditions = new Conditions(previous == null ? null : previous.conditions(), generation);

        Map<Area, Verdict> areas = new EnumMap<>(Area.class);
        for (Area area : Area.values()) {
            areas.put(area, area(area, facts.sync().areas().get(area), notWritten(area, facts.sync().skipped()),
                    ready(area, facts)));
        }
        Verdict ready;
        if (facts.deletionBlocked().isPresent()) {
            ready = new Verdict(false, Reason.DeletionBlocked, facts.deletionBlocked().get().message());
        } else {
            ready = areas.entrySet().stream().filter(e -> !e.getValue().status())
                    .min((a, b) -> Integer.compare(severity(a.getValue()), severity(b.getValue())))
                    .map(e -> new Verdict(false, e.getValue().reason(), e.getKey().conditionType() + " is False: "
                            + e.getValue().message()))
                    .orElse(new Verdict(true, Reason.Ready, "The product meets the standard (revision " + facts.revision()
                            + (facts.builtInStandard() ? ", the built-in standard: the cluster has no PlatformStandard" : "") + ")."));
        }
        Verdict inSync = inSync(facts.sync());
        conditions.set(ConditionType.Ready, ready);
        areas.forEach((area, verdict) -> conditions.set(area.conditionType(), verdict));
        conditions.set(ConditionType.InSync, inSync);
        facts.deletionBlocked().ifPresent(p -> conditions.set(ConditionType.DeletionBlocked, new Verdict(true, p.reason(), p.message())));

        List<NamespaceStatus> namespaces = new ArrayList<>(facts.sync().namespaces());
        namespaces.addAll(facts.releasedNamespaces());
        return new Reported(new ProductPlatformStatus(generation, facts.revision(), facts.sync().managedObjects(),
                List.copyOf(namespaces), conditions.build(), facts.drift()), ProductHealth.of(facts.revision(), ready, inSync));
    }

    /** Status while the finalizer waits: the last conditions, Ready False and DeletionBlocked saying why. */
    static ProductPlatformStatus deletionBlocked(ProductPlatform product, String revision, List<NamespaceStatus> namespaces,
                                                 Problem blocked) {
        Verdict verdict = new Verdict(false, Reason.DeletionBlocked, blocked.message());
        ProductPlatformStatus status = keepingTheRest(product, revision, verdict, namespaces);
        Conditions conditions = new Conditions(status.conditions(), generation(product));
        status.conditions().stream().filter(c -> !ConditionType.DeletionBlocked.is(c)).forEach(conditions::keep);
        conditions.set(ConditionType.DeletionBlocked, new Verdict(true, blocked.reason(), blocked.message()));
        return new ProductPlatformStatus(status.observedGeneration(), revision, status.managedResources(), namespaces,
                conditions.build(), status.drift());
    }

    /** Status after an error outside the apply path: never a stale Ready=True. */
    static ProductPlatformStatus failed(ProductPlatform product, String revision, Exception error) {
        String message = "Reconciling failed and is retried: " + Optional.ofNullable(error.getMessage())
                .map(m -> m.lines().findFirst().orElse(m)).orElse(error.getClass().getSimpleName());
        ProductPlatformStatus previous = product.getStatus();
        return keepingTheRest(product, revision, new Verdict(false, Reason.ReconcileFailed, message),
                previous == null || previous.namespaces() == null ? List.of() : previous.namespaces());
    }

    private static ProductPlatformStatus keepingTheRest(ProductPlatform product, String revision, Verdict ready,
                                                        List<NamespaceStatus> namespaces) {
        ProductPlatformStatus previous = product.getStatus();
        List<Condition> earlier = previous == null || previous.conditions() == null ? List.of() : previous.conditions();
        Conditions conditions = new Conditions(earlier, generation(product));
        conditions.set(ConditionType.Ready, ready);
        earlier.stream().filter(c -> !ConditionType.Ready.is(c)).forEach(conditions::keep);
        return new ProductPlatformStatus(previous == null ? null : previous.observedGeneration(), revision,
                previous == null ? null : previous.managedResources(), namespaces, conditions.build(),
                previous == null ? null : previous.drift());
    }

    private static int severity(Verdict verdict) {
        return verdict.status() ? Integer.MAX_VALUE : rank(verdict.reason());
    }

    /** The precedence rule: lower is worse. */
    static int rank(Reason reason) {
        return switch (reason) {
            case ApplyFailed -> 1;
            case RepairBackedOff -> 2;
            case DriftReported -> 3;
            default -> 0;
        };
    }

    static Verdict area(Area area, AreaOutcome outcome, Optional<Problem> notWritten, Verdict ready) {
        List<Problem> problems = Stream.concat(outcome.problems.stream(), notWritten.stream()).toList();
        if (!problems.isEmpty()) {
            Set<String> messages = new LinkedHashSet<>();
            problems.stream().map(Problem::message).forEach(messages::add);
            return new Verdict(false, problems.get(0).reason(), String.join(" ", messages));
        }
        return drift(failed(outcome.findings, outcome.refused), outcome.deferred,
                Stream.concat(outcome.findings.stream(), outcome.related.stream()).toList(),
                "Audit mode: ", ". Switch " + area + " to Enforce to apply the standard.").orElse(ready);
    }

    static Verdict inSync(ProductSync.Result sync) {
        List<Finding> findings = sync.findings();
        List<AreaOutcome.Deferred> deferred = sync.areas().values().stream().flatMap(a -> a.deferred.stream()).toList();
        return drift(failed(findings, sync.refused()), deferred, findings, "", ".")
                .orElse(new Verdict(true, Reason.InSync, "No outstanding drift from the standard."));
    }

    /** Failed writes: repairs of drift and the baseline's own changes alike keep the standard from being in place. */
    private static List<Finding> failed(List<Finding> findings, List<Finding> refused) {
        return Stream.concat(findings.stream().filter(f -> f.action() == DriftAction.RepairFailed), refused.stream()).toList();
    }

    /** The drift part of the precedence rule, shared by the areas and InSync. */
    private static Optional<Verdict> drift(List<Finding> failed, List<AreaOutcome.Deferred> deferred,
                                           List<Finding> reportable, String reportedPrefix, String reportedSuffix) {
        if (!failed.isEmpty()) {
            return Optional.of(new Verdict(false, Reason.ApplyFailed, "Could not apply " + failed.get(0).object() + ": "
                    + failed.get(0).error() + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more)" : "")));
        }
        if (!deferred.isEmpty()) {
            return Optional.of(new Verdict(false, Reason.RepairBackedOff, contested(deferred)));
        }
        List<Finding> reported = reportable.stream().filter(f -> f.action() == DriftAction.Reported).toList();
        if (!reported.isEmpty()) {
            return Optional.of(new Verdict(false, Reason.DriftReported, reportedPrefix + list(reported) + reportedSuffix));
        }
        return Optional.empty();
    }

    /** Names the object and the writer that keeps changing it; stable text, so a fight does not rewrite status. */
    static String contested(List<AreaOutcome.Deferred> deferred) {
        Finding first = deferred.get(0).finding();
        String who = first.changedBy() == null ? "another writer" : first.changedBy();
        return "Repairs back off: " + who + " keeps changing " + first.object()
                + (first.fields().isEmpty() ? "" : " (" + String.join(", ", first.fields()) + ")")
                + (deferred.size() > 1 ? " and " + (deferred.size() - 1) + " more objects" : "")
                + ". Stop that writer or make it leave groundwork's fields alone.";
    }

    static String list(List<Finding> findings) {
        String shown = findings.stream().limit(LISTED).map(Finding::describe).collect(Collectors.joining(", "));
        int more = findings.size() - LISTED;
        return findings.size() + (findings.size() == 1 ? " object differs" : " objects differ")
                + " from the standard: " + shown + (more > 0 ? " and " + more + " more" : "");
    }

    /**
     * An area never says its objects are in place where it wrote nothing: it names each environment whose namespace got
     * nothing and why (NamespacesReady says it in full). The namespaces area states its own problems.
     */
    static Optional<Problem> notWritten(Area area, List<ProductSync.Skipped> skipped) {
        if (area == Area.namespaces || skipped.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Reason.NamespaceNotWritten, "Nothing is written to " + skipped.stream()
                .map(s -> s.environment() + " (namespace " + s.namespace() + ": " + why(s.why()) + ")")
                .collect(Collectors.joining(", ")) + "; see NamespacesReady."));
    }

    private static String why(Reason reason) {
        return switch (reason) {
            case NamespaceProtected -> "protected";
            case NamespaceOwnedByAnotherProduct -> "another product's";
            case AdoptionNotConsented -> "its owner has not consented to adoption";
            case AdoptionForbidden -> "the standard forbids adopting it";
            case NamespaceTerminating -> "being deleted";
            case EnvironmentNotAllowed -> "the environment is not in the standard";
            case DuplicateNamespace -> "used by another environment";
            default -> reason.name();
        };
    }

    /** What an area says when it is in place. */
    static Verdict ready(Area area, Facts facts) {
        ResolvedProduct product = facts.product();
        int environments = product.environments().size();
        String where = environments == 1 ? "the namespace" : "all " + environments + " namespaces";
        return switch (area) {
            case namespaces -> new Verdict(true, Reason.NamespacesApplied, "Namespaces carry the product labels and Pod "
                    + "Security level " + product.tierStandard().podSecurity().enforce() + ".");
            case networking -> new Verdict(true, Reason.PoliciesApplied, String.join(" ",
                    networkingNotes(product, facts.cluster(), "NetworkPolicies are in place in " + where + ".")));
            case storage -> new Verdict(true, Reason.QuotaApplied, "Storage quota " + product.storage().maxTotal() + " / "
                    + product.storage().maxClaims() + " claims (max " + product.storage().maxClaimSize() + " each) on classes "
                    + String.join(", ", product.storage().classes()) + " is in place in " + where + ".");
            case logging -> logging(product, facts);
            case access -> new Verdict(true, Reason.RoleBindingApplied, access(product));
        };
    }

    private static Verdict logging(ResolvedProduct product, Facts facts) {
        String sink = product.logging().sink();
        int days = product.logging().retentionDays();
        if (facts.flowEnabled() && facts.cluster().flowApiInstalled()) {
            return new Verdict(true, Reason.FlowApplied, "Logs go to sink " + sink + " through a kube-logging Flow; retention "
                    + days + " days.");
        }
        if (facts.flowEnabled()) {
            return new Verdict(true, Reason.LogPipelineMissing, "The kube-logging Flow API is not installed; the namespace "
                    + "annotations name sink " + sink + " and retention " + days + " days.");
        }
        return new Verdict(true, Reason.LabelsApplied, "The namespace annotations name sink " + sink + " and retention "
                + days + " days.");
    }

    private static List<String> networkingNotes(ResolvedProduct product, ClusterFacts cluster, String inPlace) {
        List<String> notes = new ArrayList<>(List.of(inPlace));
        for (String peer : product.networking().peers()) {
            List<String> missing = product.environments().stream().map(e -> e.environment().name())
                    .filter(env -> cluster.peers().namespaceOf(peer, env).isEmpty()).toList();
            if (!missing.isEmpty()) {
                notes.add("Peer " + peer + " has no namespace for " + String.join(", ", missing)
                        + " yet; it is allowed there as soon as groundwork manages one.");
            }
        }
        boolean egressDeclared = !product.networking().egressPeers().isEmpty() || !product.networking().egressCidrs().isEmpty();
        if (egressDeclared && product.tierStandard().egress() == Standard.Egress.allow) {
            notes.add("Tier " + product.tier() + " allows all egress, so allowEgressTo and allowEgressCIDRs add no policy.");
        }
        return notes;
    }

    /** Who gets which role where, so `kubectl describe` answers "what may my team do": "view in prod; edit in staging, dev". */
    private static String access(ResolvedProduct product) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (ResolvedProduct.PlannedEnvironment planned : product.environments()) {
            String env = planned.environment().name();
            String role = product.access().roles().get(env);
            if (role != null) {
                byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(env);
            }
        }
        String roles = byRole.entrySet().stream()
                .map(e -> "ClusterRole " + e.getKey() + " in " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        return "Group " + product.access().group() + " has " + roles + " (RoleBinding groundwork-team).";
    }

    private static long generation(ProductPlatform product) {
        return product.getMetadata().getGeneration() == null ? 0 : product.getMetadata().getGeneration();
    }
}
