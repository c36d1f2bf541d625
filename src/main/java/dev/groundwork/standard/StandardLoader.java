package dev.groundwork.standard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.groundwork.api.v1alpha1.PlatformStandardSpec;

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
        LoadedStandard loaded = read(merged);
        StandardValidator.validate(loaded.standard());
        return loaded;
    }

    /**
     * The standard a PlatformStandard's spec describes, as the API server stored it (every field defaulted), and its
     * revision. It is not validated here: see {@link StandardValidator#problems}.
     */
    public static LoadedStandard fromSpec(PlatformStandardSpec spec) {
        return read((ObjectNode) YAML.valueToTree(spec));
    }

    /** A revision's standard as stored in its ControllerRevision. */
    public static LoadedStandard fromJson(String json) {
        try {
            return read((ObjectNode) YAML.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("a stored revision of the standard cannot be read: " + e.getMessage(), e);
        }
    }

    /** The rollout settings say how a revision reaches products; they are not part of it. */
    private static LoadedStandard read(ObjectNode tree) {
        ObjectNode content = tree.deepCopy();
        content.remove("rollout");
        try {
            Standard standard = YAML.treeToValue(content, Standard.class);
            return new LoadedStandard(standard, StandardRevision.of(standard));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the standard is invalid: " + e.getMessage(), e);
        }
    }

    /** The standard as JSON, to store a revision. */
    public static String toJson(Standard standard) {
        try {
            return new ObjectMapper().writeValueAsString(standard);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
