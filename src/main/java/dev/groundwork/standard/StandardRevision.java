package dev.groundwork.standard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.api.v1alpha1.AdoptionPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short content hash of the standard: the same content gives the same revision on every replica. */
final class StandardRevision {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);

    private StandardRevision() {
    }

    /**
     * The default adoption policy is left out of the hash: every revision stored before the field existed keeps its
     * hash, so an upgrade moves no product to a "new" revision of the same content (it now means Consent).
     */
    static String of(Standard standard) {
        try {
            ObjectNode tree = CANONICAL.valueToTree(standard);
            if (standard.namespaceAdoption() == AdoptionPolicy.Consent) {
                tree.remove("namespaceAdoption");
            }
            byte[] json = CANONICAL.writeValueAsBytes(tree);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(hash).substring(0, 7);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
