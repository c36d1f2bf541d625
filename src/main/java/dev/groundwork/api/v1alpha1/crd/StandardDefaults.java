package dev.groundwork.api.v1alpha1.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Gives every field of the PlatformStandard spec its OpenAPI default from the built-in standard
 * (groundwork/standard-defaults.yaml, the one source of the defaults): an absent object gets its whole default
 * subtree, a partly written one gets the defaults of the fields it leaves out, and an empty spec becomes the complete
 * built-in standard.
 */
final class StandardDefaults {
    static final String DEFAULTS = "/groundwork/standard-defaults.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StandardDefaults() {
    }

    static void apply(JSONSchemaProps root) {
        JSONSchemaProps spec = root.getProperties().get("spec");
        JsonNode defaults = read();
        spec.setDefault(defaults);
        walk(spec, defaults);
    }

    private static void walk(JSONSchemaProps schema, JsonNode defaults) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
            JsonNode value = defaults == null ? null : defaults.get(property.getKey());
            JSONSchemaProps child = property.getValue();
            boolean fixedObject = "object".equals(child.getType()) && child.getProperties() != null && !child.getProperties().isEmpty();
            if (fixedObject) {
                // The whole default subtree, not {}: the API server validates a default against the object's own
                // rules, which need its fields.
                child.setDefault(value == null ? YAML.createObjectNode() : value);
                walk(child, value);
            } else if (value != null) {
                child.setDefault(value);
            }
        }
    }

    private static JsonNode read() {
        try (InputStream in = StandardDefaults.class.getResourceAsStream(DEFAULTS)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
