package dev.groundwork.drift;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private BaselineHash() {
    }

    /** @return a copy of the desired object carrying the hash of its content */
    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> T stamp(T desired) {
        // One conversion to maps serves both the hash and the copy (a reconcile stamps every object it plans).
        Map<String, Object> content = SERIALIZATION.convertValue(desired, Map.class);
        String hash = hash(content);
        Map<String, Object> metadata = (Map<String, Object>) content.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (metadata.get("annotations") instanceof Map<?, ?> existing) {
            annotations.putAll((Map<String, Object>) existing);
        }
        annotations.put(ANNOTATION, hash);
        metadata.put("annotations", annotations);
        return (T) SERIALIZATION.convertValue(content, desired.getClass());
    }

    /** Whether the live object was last written by groundwork for exactly this desired content. */
    public static boolean writtenFor(HasMetadata stamped, HasMetadata live) {
        Map<String, String> want = stamped.getMetadata().getAnnotations();
        Map<String, String> have = live.getMetadata().getAnnotations();
        return want != null && have != null && want.get(ANNOTATION) != null && want.get(ANNOTATION).equals(have.get(ANNOTATION));
    }

    /** Map keys sorted: the same content hashes alike in every JVM, whatever order its maps iterate in. */
    private static String hash(Map<?, ?> content) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(content);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
