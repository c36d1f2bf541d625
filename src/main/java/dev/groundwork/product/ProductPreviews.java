package dev.groundwork.product;

import io.fabric8.kubernetes.api.model.Namespace;

import dev.groundwork.api.Labels;

import dev.groundwork.api.v1alpha1.ImpactPolicy;
import dev.groundwork.api.v1alpha1.PlatformStandard;
import dev.groundwork.api.v1alpha1.PlatformStandardSpec;
import dev.groundwork.api.v1alpha1.PreviewFinding;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.api.v1alpha1.ProductPlatformStatus;
import dev.groundwork.api.v1alpha1.ProductPreview;
import dev.groundwork.baseline.Baseline;
import dev.groundwork.baseline.ClusterFacts;
import dev.groundwork.baseline.ObjectKey;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.baseline.StorageBaseline;
import dev.groundwork.cluster.LiveObjects;
import dev.groundwork.cluster.StandardRevisions;
import dev.groundwork.kube.Events;
import dev.groundwork.kube.Quantities;
import dev.groundwork.preview.Impact;
import dev.groundwork.preview.PodSecurityWarnings;
import dev.groundwork.preview.StorageImpact;
import dev.groundwork.standard.RevisionChoice;
import dev.groundwork.standard.RolloutProgress;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The products' side of the preview (SPEC 9): while the standard's target revision is not the one a product is on,
 * its baseline on both revisions and the evidence the findings rest on, read without writing to the product's
 * namespaces and without listing anything cluster-wide: the quota's {@code status.used} and the namespace's labels
 * from the managed cache, claims by a per-namespace list (only where a claim limit or a class changes), and Pod
 * Security by a server-side dry run of the namespace update (only where its enforce labels change), whose
 * {@code Warning} headers are the API server's verdict. What rests on pods and claims is read at most once per
 * recheck interval per product, unless asked afresh (right before the product moves).
 */
final class ProductPreviews {
    private static final Logger LOG = Logger.getLogger(ProductPreviews.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final long CLAIM_PAGE = 500;

    static final String BLOCKING_EVENT = "PreviewBlocking";

    private final KubernetesClient client;
    private final Events events;
    private final LiveObjects cache;
    private final Duration recheck;
    private final Clock clock;
    /** Per product: what was read from the cluster for its preview, and when. */
    private final Map<String, Map<String, Read<?>>> reads = new ConcurrentHashMap<>();

    private record Read<T>(T value, Instant at) {
    }

    ProductPreviews(KubernetesClient client, LiveObjects cache, Duration recheck, Clock clock) {
        this.client = client;
        this.events = new Events(client);
        this.cache = cache;
        this.recheck = recheck;
        this.clock = clock;
    }

    /**
     * The product's preview now: of the target against the revision it is reconciled against; the one its status has
     * once it is on the target (kept as it was, so a finding accepted stays reported); none without a target.
     *
     * @param afresh read pods and claims again whatever the interval (the product is about to move)
     */
    ProductPreview of(ProductPlatform product, StandardRevisions.InForce current, Baseline currentBaseline,
                      Optional<StandardRevisions.InForce> target, ClusterFacts facts,
                      Function<String, Map<String, String>> liveAnnotations, boolean afresh) {
        ProductPreview previous = Optional.ofNullable(product.getStatus()).map(ProductPlatformStatus::preview).orElse(null);
        String name = product.getMetadata().getName();
        if (target.isEmpty()) {
            forget(name);
            return null;
        }
        if (target.get().revision().equals(current.revision())) {
            forget(name);
            return previous != null && target.get().revision().equals(previous.revision()) ? previous : null;
        }
        ResolvedProduct resolved = target.get().resolver().resolve(product);
        Baseline targetBaseline = target.get().planner().plan(resolved, facts, liveAnnotations);
        if (afresh) {
            forget(name);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return Impact.preview(current.revision(), currentBaseline, target.get().revision(), targetBaseline,
                new Evidence(name, now), previous, now.toString());
    }

    /**
     * The revision to reconcile against and, when the product is about to move, its preview of the move checked
     * afresh (pods and claims read now).
     */
    record Gate(StandardRevisions.InForce standard, Optional<ProductPreview> fresh) {
    }

    /**
     * The gate (SPEC 9). When the product is about to move (chosen is not the revision its status names), its preview
     * of the move is computed afresh, whatever the policy, and becomes its status' preview. Under impactPolicy Halt,
     * with a blocking finding a resume has not accepted, it stays where it is, so nothing of the new revision is
     * written to it; the standard's controller halts the rollout on the preview this leaves in its status.
     *
     * @param facts the cluster facts for a product resolved against a revision
     */
    Gate gate(ProductPlatform product, StandardRevisions.InForce chosen, StandardRevisions standards,
              Function<ResolvedProduct, ClusterFacts> facts, Function<String, Map<String, String>> liveAnnotations) {
        Optional<String> on = Optional.ofNullable(product.getStatus()).map(ProductPlatformStatus::standardRevision);
        Optional<PlatformStandard> standard = standards.standard();
        Optional<StandardRevisions.InForce> held = on.filter(r -> !r.equals(chosen.revision())).flatMap(standards::revision);
        if (held.isEmpty() || standard.isEmpty()) {
            return new Gate(chosen, Optional.empty());
        }
        ResolvedProduct resolved = held.get().resolver().resolve(product);
        ClusterFacts heldFacts = facts.apply(resolved);
        Baseline baseline = held.get().planner().plan(resolved, heldFacts, liveAnnotations);
        Optional<ProductPreview> fresh = Optional.ofNullable(of(product, held.get(), baseline, Optional.of(chosen), heldFacts,
                liveAnnotations, true));
        boolean halt = RolloutProgress.Settings.of(Optional.ofNullable(standard.get().getSpec())
                .map(PlatformStandardSpec::rollout).orElse(null)).impactPolicy() == ImpactPolicy.Halt;
        if (halt && fresh.map(p -> p.blocking() != null && p.blocking() > 0).orElse(false)
                && !RevisionChoice.accepted(standard.get(), product.getMetadata().getName())) {
            LOG.infof("%s stays on revision %s: its preview of %s has %d blocking findings (impactPolicy Halt)",
                    product.getMetadata().getName(), on.get(), chosen.revision(), fresh.get().blocking());
            return new Gate(held.get(), fresh);
        }
        return new Gate(chosen, fresh);
    }

    /**
     * A Warning Event on the product when its preview's blocking findings change and there are some: what the target
     * revision would break, once per change (the times findings were checked do not count).
     */
    void tell(ProductPlatform product, ProductPreview before, ProductPreview now) {
        if (now == null || now.blockingFindings().isEmpty()) {
            return;
        }
        List<PreviewFinding> was = before == null || !now.revision().equals(before.revision()) ? List.of()
                : before.blockingFindings().stream().map(f -> f.checkedAt(null)).toList();
        List<PreviewFinding> is = now.blockingFindings().stream().map(f -> f.checkedAt(null)).toList();
        if (!is.equals(was)) {
            events.emit(product, Events.WARNING, BLOCKING_EVENT, "Revision " + now.revision() + " would break: "
                    + is.stream().map(f -> f.subject() + ": " + f.message()).collect(Collectors.joining(" ")));
        }
    }

    /** When the findings that rest on pods and claims are due to be checked again, if the product has any. */
    Optional<Duration> recheckAfter(ProductPreview preview, String currentRevision) {
        if (preview == null || preview.revision().equals(currentRevision)) {
            return Optional.empty();
        }
        return Optional.of(recheck);
    }

    void forget(String product) {
        reads.remove(product);
    }

    final class Evidence implements Impact.Evidence {
        private final String product;
        private final Instant now;

        Evidence(String product, Instant now) {
            this.product = product;
            this.now = now;
        }

        /**
         * Only a namespace groundwork manages for this product is looked into: a spec naming someone else's namespace
         * (another product's, one not adopted) must not learn its pods, claims or usage through the preview.
         */
        private Optional<Namespace> ours(String namespace) {
            return cache.get(new ObjectKey("Namespace", null, namespace)).map(Namespace.class::cast)
                    .filter(ns -> ns.getMetadata().getLabels() != null
                            && product.equals(ns.getMetadata().getLabels().get(Labels.PRODUCT)));
        }

        @Override
        public Optional<Map<String, String>> namespaceLabels(String namespace) {
            return ours(namespace).map(ns -> Optional.ofNullable(ns.getMetadata().getLabels()).orElse(Map.of()));
        }

        @Override
        public StorageImpact.Usage quotaUsage(String namespace) {
            Optional<Map<String, Quantity>> used = ours(namespace)
                    .flatMap(ns -> cache.get(new ObjectKey("ResourceQuota", namespace, StorageBaseline.NAME)))
                    .map(ResourceQuota.class::cast).map(ResourceQuota::getStatus).map(s -> s.getUsed());
            return new StorageImpact.Usage(used.map(u -> u.get("requests.storage")).map(Quantity::toString),
                    used.map(u -> u.get("persistentvolumeclaims")).map(Quantity::toString), List.of());
        }

        @Override
        public List<StorageImpact.Claim> claims(String namespace) {
            if (ours(namespace).isEmpty()) {
                return List.of();
            }
            return read("claims " + namespace, () -> client.persistentVolumeClaims().inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(CLAIM_PAGE).build()).getItems().stream()
                    .map(ProductPreviews::claim).toList());
        }

        @Override
        public List<String> podSecurityDryRun(String namespace, Map<String, String> labels) {
            if (ours(namespace).isEmpty()) {
                return List.of();
            }
            return read("pod-security " + namespace + " " + labels, () -> dryRun(namespace, labels));
        }

        @SuppressWarnings("unchecked")
        private <T> T read(String what, Supplier<T> reader) {
            Map<String, Read<?>> ofProduct = reads.computeIfAbsent(product, p -> new ConcurrentHashMap<>());
            Read<?> known = ofProduct.get(what);
            if (known != null && known.at().plus(recheck).isAfter(now)) {
                return (T) known.value();
            }
            T value = reader.get();
            ofProduct.put(what, new Read<>(value, now));
            return value;
        }
    }

    private static StorageImpact.Claim claim(PersistentVolumeClaim pvc) {
        Quantity request = Optional.ofNullable(pvc.getSpec().getResources()).map(r -> r.getRequests())
                .map(r -> r.get("storage")).orElse(null);
        return new StorageImpact.Claim(pvc.getMetadata().getName(), request == null ? null : Quantities.canonical(request.toString()),
                pvc.getSpec().getStorageClassName());
    }

    /**
     * A server-side dry run of the namespace taking these labels (a JSON merge patch with dryRun=All: nothing is
     * stored). Fabric8's DSL does not expose a response's headers, so the request goes through its HTTP client, with
     * the client's credentials and interceptors. A refused dry run is told as a warning that names the refusal: the
     * finding then says Pod Security could not be checked, which is blocking too (nothing moves unverified).
     */
    private List<String> dryRun(String namespace, Map<String, String> labels) {
        String body = JSON.asJson(Map.of("metadata", Map.of("labels", labels)));
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "?dryRun=All&fieldManager=groundwork";
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .method("PATCH", "application/merge-patch+json", body).build();
        try {
            HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
            if (!response.isSuccessful()) {
                return List.of(PodSecurityWarnings.UNCHECKED + response.code() + " " + response.body());
            }
            return Optional.ofNullable(response.headers("Warning")).orElse(List.of()).stream()
                    .map(PodSecurityWarnings::text).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while previewing Pod Security in " + namespace, e);
        } catch (Exception e) {
            LOG.debugf(e, "Pod Security dry run in %s failed", namespace);
            return List.of(PodSecurityWarnings.UNCHECKED + e.getMessage());
        }
    }
}
