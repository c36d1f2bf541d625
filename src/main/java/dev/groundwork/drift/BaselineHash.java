package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stamps every applied object with a hash of its desired content. It tells drift from change: a live object
 * that differs from the desired one but carries the desired hash was changed by someone else (drift); one with
 * another hash was written for an older spec, standard or cluster (an update we owe, not drift).
 */
public final class BaselineHash {
    public static final String ANNOTATION = "groundwork.dev/baseline-hash";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private BaselineHash() {
    }

    /** @return a copy of the desired object carrying the hash of its content */
    public static <T extends HasMetadata> T stamp(T desired) {
        T copy = SERIALIZATION.clone(desired);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (copy.getMetadata().getAnnotations() != null) {
            annotations.putAll(copy.getMetadata().getAnnotations());
        }
        annotations.put(ANNOTATION, hash(desired));
        copy.getMetadata().setAnnotations(annotations);
        return copy;
    }

    /** Whether the live object was last written by groundwork for exactly this desired content. */
    public static boolean writtenFor(HasMetadata stamped, HasMetadata live) {
        Map<String, String> want = stamped.getMetadata().getAnnotations();
        Map<String, String> have = live.getMetadata().getAnnotations();
        return want != null && have != null && want.get(ANNOTATION) != null && want.get(ANNOTATION).equals(have.get(ANNOTATION));
    }

    static String hash(HasMetadata desired) {
        try {
            byte[] json = SERIALIZATION.asJson(desired).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
