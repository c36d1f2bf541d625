package dev.groundwork.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * Runtime settings of the operator besides the standard.
 *
 * @param operatorNamespace the namespace the operator runs in, protected from products like kube-*
 * @param blockedRetry      how often a blocked deletion is checked again
 * @param workloadCheck     how often a rollout reads the workloads of the wave in progress again
 * @param previewRecheck    how often the findings of a preview that rest on pods and usage are checked again while
 *                          the revision is the target and the product has not moved
 */
public record OperatorSettings(Optional<String> operatorNamespace, Duration blockedRetry, Duration workloadCheck,
                               Duration previewRecheck) {
    public static final Duration DEFAULT_PREVIEW_RECHECK = Duration.ofMinutes(5);

    public OperatorSettings(Optional<String> operatorNamespace, Duration blockedRetry, Duration workloadCheck) {
        this(operatorNamespace, blockedRetry, workloadCheck, DEFAULT_PREVIEW_RECHECK);
    }

    /** Where the revisions of the standard are kept: the operator's namespace (default when it runs outside one). */
    public String revisionNamespace() {
        return operatorNamespace.filter(n -> !n.isBlank()).orElse("default");
    }
}
