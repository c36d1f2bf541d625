package dev.groundwork.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformStandardStatus(
        @JsonPropertyDescription("Generation of the spec this status describes.")
        Long observedGeneration,
        @JsonPropertyDescription("The newest valid revision: the one products are moved to.")
        String revision,
        @JsonPropertyDescription("Valid (the spec can be used), Progressing (products are moving to the revision), "
                + "Available (every product is on it).")
        List<Condition> conditions,
        @JsonPropertyDescription("How the revision reaches products.")
        RolloutStatus rollout,
        @JsonPropertyDescription("Products on each revision, newest first.")
        List<RevisionCount> revisions,
        @JsonPropertyDescription("Products in the cluster.")
        Integer products,
        @JsonPropertyDescription("Products whose Ready condition is True.")
        Integer readyProducts,
        @JsonPropertyDescription("Products whose InSync condition is True.")
        Integer inSyncProducts,
        @JsonPropertyDescription("While products are not all on the target revision: what it would change and break, "
                + "summed over the products' previews.")
        PreviewSummary preview) {

    public PlatformStandardStatus(Long observedGeneration, String revision, List<Condition> conditions, RolloutStatus rollout,
                                  List<RevisionCount> revisions, Integer products, Integer readyProducts, Integer inSyncProducts) {
        this(observedGeneration, revision, conditions, rollout, revisions, products, readyProducts, inSyncProducts, null);
    }

    public record RevisionCount(
            @JsonPropertyDescription("Revision of the standard.") String revision,
            @JsonPropertyDescription("Products last reconciled against it.") Integer products) {
    }

    public record RolloutStatus(
            @JsonPropertyDescription("Complete, Progressing, Paused or Halted.") RolloutPhase phase,
            @JsonPropertyDescription("The wave in progress, when the strategy has waves.") String wave,
            @JsonPropertyDescription("Products on the target revision / all products, e.g. 12/12.") String updated,
            @JsonPropertyDescription("The revision this rollout moves products to.") String targetRevision,
            @JsonPropertyDescription("The last revision every product was on: where a rollback returns.") String previousRevision,
            @JsonPropertyDescription("When this rollout started.") String startedAt,
            @JsonPropertyDescription("The waves of this rollout, in order, as far as they have started.") List<WaveStatus> waves) {
    }

    public record WaveStatus(
            @JsonPropertyDescription("The wave's name.") String name,
            @JsonPropertyDescription("Products in the wave.") Integer products,
            @JsonPropertyDescription("Products the wave moved: those not on the target revision when it started.")
            Integer moving,
            @JsonPropertyDescription("Products of the wave on the target revision.") Integer updated,
            @JsonPropertyDescription("Products of the wave healthy on it: Ready, in sync, no workload lost availability.")
            Integer healthy,
            @JsonPropertyDescription("Products of the wave that failed on it.") Integer failed,
            @JsonPropertyDescription("When the wave's products were released to the target revision.") String startedAt,
            @JsonPropertyDescription("When the soak ends: every product healthy since then minus the wave's soak.") String soakUntil,
            @JsonPropertyDescription("When the wave finished soaking (or was resumed past a halt).") String finishedAt,
            @JsonPropertyDescription("The failed products and why.") List<ProductFailure> failures,
            @JsonPropertyDescription("Products not Ready when the wave started: they do not count against the change.")
            List<String> notReadyBefore,
            @JsonPropertyDescription("Workloads (namespace/Kind/name) already unavailable when the wave started.")
            List<String> unavailableBefore) {

        /** A wave's status built by name: twelve fields, most of them counts or times, are too easy to swap by position. */
        public static Builder named(String name) {
            return new Builder().name(name);
        }

        /** This status, to change by name. */
        public Builder toBuilder() {
            return new Builder().name(name).products(products).moving(moving).updated(updated).healthy(healthy).failed(failed)
                    .startedAt(startedAt).soakUntil(soakUntil).finishedAt(finishedAt).failures(failures)
                    .notReadyBefore(notReadyBefore).unavailableBefore(unavailableBefore);
        }

        public static final class Builder {
            private String name;
            private Integer products;
            private Integer moving;
            private Integer updated;
            private Integer healthy;
            private Integer failed;
            private String startedAt;
            private String soakUntil;
            private String finishedAt;
            private List<ProductFailure> failures;
            private List<String> notReadyBefore;
            private List<String> unavailableBefore;

            private Builder() {
            }

            public Builder name(String name) {
                this.name = name;
                return this;
            }

            public Builder products(Integer products) {
                this.products = products;
                return this;
            }

            public Builder moving(Integer moving) {
                this.moving = moving;
                return this;
            }

            public Builder updated(Integer updated) {
                this.updated = updated;
                return this;
            }

            public Builder healthy(Integer healthy) {
                this.healthy = healthy;
                return this;
            }

            public Builder failed(Integer failed) {
                this.failed = failed;
                return this;
            }

            public Builder startedAt(String startedAt) {
                this.startedAt = startedAt;
                return this;
            }

            public Builder soakUntil(String soakUntil) {
                this.soakUntil = soakUntil;
                return this;
            }

            public Builder finishedAt(String finishedAt) {
                this.finishedAt = finishedAt;
                return this;
            }

            public Builder failures(List<ProductFailure> failures) {
                this.failures = failures;
                return this;
            }

            public Builder notReadyBefore(List<String> notReadyBefore) {
                this.notReadyBefore = notReadyBefore;
                return this;
            }

            public Builder unavailableBefore(List<String> unavailableBefore) {
                this.unavailableBefore = unavailableBefore;
                return this;
            }

            public WaveStatus build() {
                return new WaveStatus(name, products, moving, updated, healthy, failed, startedAt, soakUntil, finishedAt,
                        failures, notReadyBefore, unavailableBefore);
            }
        }
    }

    public record ProductFailure(
            @JsonPropertyDescription("The ProductPlatform.") String product,
            @JsonPropertyDescription("Why it failed on the target revision.") String reason) {
    }
}
