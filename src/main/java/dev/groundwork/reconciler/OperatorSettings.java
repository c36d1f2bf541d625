package dev.groundwork.reconciler;

import java.time.Duration;
import java.util.Optional;

/**
 * Runtime settings of the operator besides the standard.
 *
 * @param operatorNamespace the namespace the operator runs in, protected from products like kube-*
 * @param blockedRetry      how often a blocked deletion is checked again
 */
public record OperatorSettings(Optional<String> operatorNamespace, Duration blockedRetry) {
}
