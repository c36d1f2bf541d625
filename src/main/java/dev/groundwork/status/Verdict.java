package dev.groundwork.status;

import dev.groundwork.api.v1alpha1.Reason;

/** One condition's content before its lastTransitionTime is settled: what a status owner decided. */
public record Verdict(boolean status, Reason reason, String message) {
    public static Verdict isTrue(Reason reason, String message) {
        return new Verdict(true, reason, message);
    }

    public static Verdict isFalse(Reason reason, String message) {
        return new Verdict(false, reason, message);
    }
}
