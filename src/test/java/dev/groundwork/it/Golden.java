package dev.groundwork.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Golden files of baseline objects as the API server returns them, without the fields that change from run
 * to run. Written with -Dgroundwork.golden.update=true, then reviewed by hand and committed.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("groundwork.golden.update");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Golden() {
    }

    /** @param listJson `kubectl get ... -o json` output of a List */
    static Map<String, String> normalise(String listJson) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (JsonNode item : new ObjectMapper().readTree(listJson).get("items")) {
            ObjectNode object = (ObjectNode) item;
            ObjectNode metadata = (ObjectNode) object.get("metadata");
            for (String volatileField : new String[]{"managedFields", "uid", "resourceVersion", "creationTimestamp", "generation"}) {
                metadata.remove(volatileField);
            }
            object.remove("status");
            String namespace = metadata.has("namespace") ? metadata.get("namespace").asText() : metadata.get("name").asText();
            String name = namespace + "/" + object.get("kind").asText() + "-" + metadata.get("name").asText() + ".yaml";
            Object sorted = YAML.convertValue(object, Object.class);
            files.put(name, YAML.writeValueAsString(sorted));
        }
        return files;
    }

    static void write(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = DIR.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }

    static Map<String, String> read(String namespace) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path dir = DIR.resolve(namespace);
        if (Files.isDirectory(dir)) {
            try (var stream = Files.list(dir)) {
                for (Path p : stream.toList()) {
                    files.put(namespace + "/" + p.getFileName(), Files.readString(p));
                }
            }
        }
        return files;
    }
}
