package dev.groundwork.standard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the built-in default standard and deep-merges the platform team's overrides (a YAML file,
 * rendered by the Helm chart from its values) on top, so that a partial file only changes what it names.
 */
public final class StandardLoader {
    static final String DEFAULTS = "/groundwork/standard-defaults.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StandardLoader() {
    }

    public static LoadedStandard load(Optional<Path> overrides) {
        ObjectNode merged = readDefaults();
        overrides.ifPresent(path -> merge(merged, readFile(path)));
        Standard standard;
        try {
            standard = YAML.treeToValue(merged, Standard.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the standard is invalid: " + e.getMessage(), e);
        }
        StandardValidator.validate(standard);
        return new LoadedStandard(standard, StandardRevision.of(standard));
    }

    public static LoadedStandard defaults() {
        return load(Optional.empty());
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = StandardLoader.class.getResourceAsStream(DEFAULTS)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readFile(Path path) {
        try {
            JsonNode node = YAML.readTree(Files.readString(path));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("the standard in " + path + " must be a YAML mapping");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the standard from " + path, e);
        }
    }

    /** Objects merge key by key; anything else (lists included) replaces the default. */
    static void merge(ObjectNode target, JsonNode overrides) {
        Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
