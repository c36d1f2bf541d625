package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.DriftAction;
import dev.groundwork.api.v1alpha1.DriftChange;
import dev.groundwork.api.v1alpha1.Mode;
import dev.groundwork.api.v1alpha1.NamespaceState;
import dev.groundwork.api.v1alpha1.NamespaceStatus;
import dev.groundwork.api.v1alpha1.Reason;
import dev.groundwork.baseline.AccessBaseline;
import dev.groundwork.baseline.Area;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.DesiredObject;
import dev.groundwork.baseline.Environment;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.Problem;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.cluster.BaselineWriter;
import dev.groundwork.cluster.ClusterWriter;
import dev.groundwork.cluster.LiveObjects;
import dev.groundwork.cluster.ManagedKinds;
import dev.groundwork.drift.BaselineHash;
import dev.groundwork.drift.ChangedBy;
import dev.groundwork.drift.Drift;
import dev.groundwork.drift.Finding;
import dev.groundwork.drift.ProductMemory;
import dev.groundwork.drift.RepairBackoff;
import dev.groundwork.kube.ImmutableFields;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings one product's environments to its baseline: compares every desired object with the cache, applies
 * what differs (Enforce) or only records it (Audit), and prunes managed objects that are no longer desired.
 */
final class ProductSync {
    private static final Logger LOG = Logger.getLogger(ProductSync.class);

    private static final String LOGGING_ANNOTATIONS = "metadata.annotations.groundwork.dev/log-";
    private static final String STORAGE_ANNOTATION = "metadata.annotations." + Labels.ALLOWED_STORAGE_CLASSES;

    private final LiveObjects cache;
    private final BaselineWriter writer;
    private final NamespaceClaims claims;
    private final RepairBackoff repairs;
    private final RepairBackoff failedApplies;

    ProductSync(LiveObjects cache, BaselineWriter writer, NamespaceClaims claims, RepairBackoff repairs,
                RepairBackoff failedApplies) {
        this.cache = cache;
        this.writer = writer;
        this.claims = claims;
        this.repairs = repairs;
        this.failedApplies = failedApplies;
    }

    /**
     * @param skipped the environments whose namespace got nothing (protected, another product's, no consent,
     *                terminating...) and why: no area may say its objects are in place there
     */
    record Result(Map<Area, AreaOutcome> areas, List<NamespaceStatus> namespaces, int managedObjects,
                  List<Skipped> skipped) {
        /** When a deferred repair or the retry of a refused apply is due, if any is waiting. */
        Optional<Instant> nextAttempt() {
            return areas.values().stream().flatMap(a -> Stream.concat(
                            a.deferred.stream().map(AreaOutcome.Deferred::until), a.retries.stream()))
                    .min(Instant::compareTo);
        }

        List<Finding> findings() {
            return areas.values().stream().flatMap(a -> a.findings.stream()).toList();
        }

        /** Writes of the baseline's own changes the API server refused (not drift). */
        List<Finding> refused() {
            return areas.values().stream().flatMap(a -> a.refused.stream()).toList();
        }

        /** Every drift found, a repair that waits for its backoff included (action BackedOff). */
        List<Finding> drifts() {
            return areas.values().stream().flatMap(a -> Stream.concat(a.findings.stream(),
                    a.deferred.stream().map(d -> d.finding().withAction(DriftAction.BackedOff)))).toList();
        }

        /** Objects written in this reconcile. */
        Set<ObjectKey> applied() {
            Set<ObjectKey> applied = new HashSet<>();
            areas.values().forEach(a -> applied.addAll(a.applied));
            return applied;
        }
    }

    /** An environment whose namespace got nothing, and why (the reason NamespacesReady gives for it). */
    record Skipped(String environment, String namespace, Reason why) {
    }

    /** @param memory what the operator remembers of this product: read and updated, never needed for correctness */
    Result sync(Baseline baseline, ProductMemory memory) {
        ResolvedProduct product = baseline.product();
        Map<Area, AreaOutcome> areas = new EnumMap<>(Area.class);
        for (Area area : Area.values()) {
            AreaOutcome outcome = new AreaOutcome();
            product.problem(area).ifPresent(outcome.problems::add);
            areas.put(area, outcome);
        }
        List<NamespaceStatus> namespaces = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int managed = 0;
        for (Baseline.EnvironmentBaseline env : baseline.environments()) {
            EnvironmentResult result = syncEnvironment(product, env, areas, memory);
            namespaces.add(result.status);
            managed += result.managed;
            result.notWritten.ifPresent(why -> skipped.add(new Skipped(env.environment().name(),
                    env.environment().namespace(), why)));
        }
        attributeNamespaceAnnotations(areas);
        return new Result(areas, namespaces, managed, List.copyOf(skipped));
    }

    /**
     * The namespace carries the logging and storage contract in its annotations: drift there (or a missing
     * namespace) also keeps those areas from being in place.
     */
    private static void attributeNamespaceAnnotations(Map<Area, AreaOutcome> areas) {
        for (Finding finding : areas.get(Area.namespaces).findings) {
            boolean missing = finding.change() == DriftChange.Missing;
            if (missing || finding.fields().stream().anyMatch(f -> f.startsWith(LOGGING_ANNOTATIONS))) {
                areas.get(Area.logging).related.add(finding);
            }
            if (missing || finding.fields().stream().anyMatch(f -> f.equals(STORAGE_ANNOTATION))) {
                areas.get(Area.storage).related.add(finding);
            }
        }
    }

    /** @param notWritten why the environment's namespace is not groundwork's to write (or, in Audit, to compare) */
    private record EnvironmentResult(NamespaceStatus status, int managed, Optional<Reason> notWritten) {
    }

    private EnvironmentResult syncEnvironment(ResolvedProduct product, Baseline.EnvironmentBaseline env,
                                              Map<Area, AreaOutcome> areas, ProductMemory memory) {
        Environment environment = env.environment();
        if (env.problem().isPresent()) {
            Problem problem = env.problem().get();
            areas.get(Area.namespaces).problems.add(problem);
            return new EnvironmentResult(status(environment, NamespaceState.Conflict, problem.message()), 0,
                    Optional.of(problem.reason()));
        }
        DesiredObject namespaceObject = env.objects().get(0);
        Mode namespaceMode = product.mode(Area.namespaces);
        Optional<Namespace> cached = cache.get(namespaceObject.key()).map(Namespace.class::cast);

        NamespaceStep step = claims.withClaim(environment.namespace(), product.name(), cached,
                verdict -> claimNamespace(product, namespaceObject, namespaceMode, verdict, areas.get(Area.namespaces), memory));
        if (!step.proceed) {
            return new EnvironmentResult(status(environment, step.state, step.message), 0, Optional.ofNullable(step.refused));
        }
        int managed = step.exists ? 1 : 0;
        Set<ObjectKey> desiredKeys = new HashSet<>();
        desiredKeys.add(namespaceObject.key());
        for (DesiredObject desired : env.objects().subList(1, env.objects().size())) {
            desiredKeys.add(desired.key());
            HasMetadata live = step.exists ? cache.get(desired.key()).orElse(null) : null;
            if (converge(desired, live, product.mode(desired.area()), areas.get(desired.area()), memory)) {
                managed++;
            }
        }
        if (step.exists) {
            prune(product, environment, desiredKeys, areas, memory);
        }
        return new EnvironmentResult(status(environment, step.state, step.message), managed, Optional.empty());
    }

    /**
     * @param proceed whether the objects inside the namespace are to be looked at
     * @param refused why not, when they are not
     */
    private record NamespaceStep(NamespaceState state, boolean exists, boolean proceed, String message, Reason refused) {
        static NamespaceStep refused(NamespaceState state, boolean exists, Problem problem) {
            return new NamespaceStep(state, exists, false, problem.message(), problem.reason());
        }
    }

    private NamespaceStep claimNamespace(ResolvedProduct product, DesiredObject desired, Mode mode,
                                         NamespaceClaims.Verdict verdict, AreaOutcome outcome, ProductMemory memory) {
        String name = desired.environment().namespace();
        switch (verdict.claim()) {
            case OTHER_PRODUCT -> {
                Problem problem = new Problem(Reason.NamespaceOwnedByAnotherProduct, "Namespace " + name + " belongs to product "
                        + verdict.owner() + "; choose another namespace for environment " + desired.environment().name() + ".");
                outcome.problems.add(problem);
                return NamespaceStep.refused(NamespaceState.Conflict, true, problem);
            }
            case TERMINATING -> {
                Problem problem = new Problem(Reason.NamespaceTerminating, "Namespace " + name
                        + " is being deleted; it will be created again once it is gone.");
                outcome.problems.add(problem);
                return NamespaceStep.refused(NamespaceState.Pending, false, problem);
            }
            case UNLABELLED -> {
                Optional<Problem> refused = memory.wasSeen(desired.key()) ? Optional.empty()
                        : Adoption.refusal(product.adoption(), verdict.live(), product.name(), desired.environment().name());
                if (refused.isPresent()) {
                    // Nothing is written (or, in Audit, compared) in a namespace its owner did not give this product.
                    outcome.problems.add(refused.get());
                    return NamespaceStep.refused(NamespaceState.Pending, true, refused.get());
                }
                return adopt(desired, mode, verdict, outcome, memory);
            }
            default -> {
                return adopt(desired, mode, verdict, outcome, memory);
            }
        }
    }

    /** Creates the namespace, or takes one that is the product's (or that it may adopt) under the standard's labels. */
    private NamespaceStep adopt(DesiredObject desired, Mode mode, NamespaceClaims.Verdict verdict, AreaOutcome outcome,
                                ProductMemory memory) {
        boolean applied = converge(desired, verdict.live(), mode, outcome, memory);
        boolean exists = verdict.live() != null || applied;
        String message = exists ? null : "Audit mode: namespace " + desired.environment().namespace() + " would be created.";
        return new NamespaceStep(exists ? NamespaceState.Ready : NamespaceState.Pending, exists, true, message, null);
    }

    /**
     * Compares and, in Enforce, applies. Only a change made by someone else is drift: an object we never wrote,
     * or wrote for an older spec or standard, is brought up to date without a drift record.
     *
     * @return whether the object is in place afterwards
     */
    private boolean converge(DesiredObject desiredObject, HasMetadata live, Mode mode, AreaOutcome outcome,
                             ProductMemory memory) {
        HasMetadata desired = BaselineHash.stamp(desiredObject.object());
        ObjectKey key = desiredObject.key();
        Instant seen = Instant.now();
        Drift drift = Drift.of(desired, live);
        if (drift.inSync()) {
            memory.sawInPlace(key);
            memory.refusalOver(key);
            if (drift.restamp() && mode == Mode.Enforce) {
                tryApply(desired, live);
            }
            return true;
        }
        DriftChange change = drift.change().orElseThrow();
        String changedBy = live == null ? null
                : ChangedBy.of(live, drift.fields(), ClusterWriter.FIELD_MANAGER).orElse(null);
        if (mode == Mode.Audit) {
            outcome.findings.add(new Finding(desiredObject.area(), key, change, drift.fields(), changedBy,
                    DriftAction.Reported, null));
            return live != null;
        }
        boolean isDrift = live == null ? memory.wasSeen(key) : BaselineHash.writtenFor(desired, live) && !released(live);
        Instant now = Instant.now();
        Optional<Instant> retryDue = failedApplies.blockedUntil(memory, key, now);
        if (retryDue.isPresent()) {
            // The API server refused this object a moment ago: wait for the retry the reschedule brings.
            (isDrift ? outcome.findings : outcome.refused).add(new Finding(desiredObject.area(), key, change, drift.fields(), changedBy,
                    DriftAction.RepairFailed, memory.lastFailure(key).orElse(null)));
            outcome.retries.add(retryDue.get());
            return live != null;
        }
        if (isDrift) {
            Optional<Instant> blocked = repairs.blockedUntil(memory, key, now);
            if (blocked.isPresent()) {
                outcome.deferred.add(new AreaOutcome.Deferred(new Finding(desiredObject.area(), key, change, drift.fields(),
                        changedBy, DriftAction.Repaired, null), blocked.get()));
                return live != null;
            }
        }
        boolean recreate = live != null && ImmutableFields.changed(desired, live);
        if (recreate) {
            // Until the informer has seen the deletion and the creation (or after a creation that failed), a
            // reconcile may find the object missing: our own doing, so it must read as a creation, not as drift.
            memory.forgetSeen(key);
        }
        try {
            if (recreate) {
                cache.remember(writer.recreate(desired, live), null);
            } else {
                cache.write(desired, live, writer::apply);
            }
            Instant repairedAt = Instant.now();
            outcome.applied.add(key);
            memory.refusalOver(key);
            if (!recreate) {
                memory.sawInPlace(key);
            }
            if (isDrift) {
                repairs.repaired(memory, key, now);
                outcome.findings.add(new Finding(desiredObject.area(), key, change, drift.fields(), changedBy,
                        DriftAction.Repaired, null, seen, repairedAt));
            }
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("applying %s failed: %s", key, e.getMessage());
            Optional<Problem> refused = AccessBaseline.refusal(desired, e.getCode(), serverMessage(e));
            if (refused.isPresent()) {
                // Not a failing repair but a standard the operator's RBAC does not cover: a condition that says
                // so, retried at the next resync or event rather than in a loop; the live binding stays.
                outcome.problems.add(refused.get());
                return live != null;
            }
            // Timeouts, 5xx, 429, conflicts, admission denials: retried with backoff by a reschedule, not left
            // to the periodic resync.
            failedApplies.repaired(memory, key, now);
            memory.failed(key, serverMessage(e));
            (isDrift ? outcome.findings : outcome.refused).add(new Finding(desiredObject.area(), key, change, drift.fields(), changedBy,
                    DriftAction.RepairFailed, serverMessage(e)));
            failedApplies.blockedUntil(memory, key, now).ifPresent(outcome.retries::add);
            return live != null;
        }
    }

    /** Left in place by groundwork itself (Retain): taking it back is an adoption, not a repair. */
    private static boolean released(HasMetadata live) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(Labels.RETAINED) && !Labels.isManaged(live);
    }

    private void tryApply(HasMetadata desired, HasMetadata live) {
        try {
            cache.write(desired, live, writer::apply);
        } catch (KubernetesClientException e) {
            LOG.warnf("re-stamping %s failed: %s", ObjectKey.of(desired), e.getMessage());
        }
    }

    /** Deletes managed objects of this environment that are no longer desired, in areas that are enforced and valid. */
    private void prune(ResolvedProduct product, Environment environment, Set<ObjectKey> desired,
                       Map<Area, AreaOutcome> areas, ProductMemory memory) {
        for (HasMetadata live : cache.ofProduct(product.name())) {
            ObjectKey key = ObjectKey.of(live);
            if (!environment.namespace().equals(key.namespace()) || !key.name().startsWith(Labels.NAME_PREFIX)
                    || desired.contains(key)) {
                continue;
            }
            Area area = ManagedKinds.areaOf(live.getKind());
            if (area == null || product.mode(area) != Mode.Enforce || !areas.get(area).problems.isEmpty()) {
                continue;
            }
            try {
                writer.delete(live);
                memory.forget(key);
                LOG.infof("pruned %s of product %s", key, product.name());
            } catch (KubernetesClientException e) {
                LOG.warnf("pruning %s failed: %s", key, e.getMessage());
            }
        }
    }

    private static NamespaceStatus status(Environment env, NamespaceState state, String message) {
        return new NamespaceStatus(env.namespace(), env.name(), state, message);
    }

    static String serverMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
