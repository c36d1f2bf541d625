package dev.groundwork.it.helm;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes objects of a multi-document YAML stream (what helm template and helm get manifest print), as trees. */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One object, addressed as kubectl would. */
    record Obj(Map<String, Object> tree) {
        String apiVersion() {
            return (String) tree.get("apiVersion");
        }

        String kind() {
            return (String) tree.get("kind");
        }

        String name() {
            return (String) metadata().get("name");
        }

        String namespace() {
            return (String) metadata().get("namespace");
        }

        Map<String, Object> metadata() {
            return map(tree, "metadata");
        }

        /** kind.group/name, e.g. deployment.apps/groundwork, for kubectl get. */
        String kubectlRef() {
            String group = apiVersion().contains("/") ? apiVersion().substring(0, apiVersion().indexOf('/')) : "";
            return kind().toLowerCase() + (group.isEmpty() ? "" : "." + group) + "/" + name();
        }

        @Override
        public String toString() {
            return kind() + " " + (namespace() == null ? "" : namespace() + "/") + name();
        }
    }

    private Manifests() {
    }

    static List<Obj> parse(String yaml) {
        List<Obj> objects = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> docs = YAML.readerForMapOf(Object.class).readValues(yaml)) {
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    objects.add(new Obj(doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static Optional<Obj> find(List<Obj> objects, String kind) {
        List<Obj> matches = objects.stream().filter(o -> o.kind().equals(kind)).toList();
        if (matches.size() > 1) {
            throw new AssertionError("more than one " + kind + ": " + matches);
        }
        return matches.stream().findFirst();
    }

    static Obj get(List<Obj> objects, String kind) {
        return find(objects, kind).orElseThrow(() -> new AssertionError("no " + kind + " in " + objects));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object tree, String... path) {
        Object node = tree;
        for (String key : path) {
            node = ((Map<String, Object>) Objects.requireNonNull(node, "missing " + key)).get(key);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object tree, String... path) {
        Object node = tree;
        for (String key : path) {
            node = ((Map<String, Object>) Objects.requireNonNull(node, "missing " + key)).get(key);
        }
        return (List<Object>) node;
    }

    /** The first container of a Deployment's pod template. */
    static Map<String, Object> container(Obj deployment) {
        return map(list(deployment.tree(), "spec", "template", "spec", "containers").get(0));
    }

    /** A container's plain env values by name; valueFrom entries map to their fieldPath, prefixed "fieldRef:". */
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object entry : list(container, "env")) {
            Map<String, Object> e = map(entry);
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            } else {
                env.put((String) e.get("name"), "fieldRef:" + map(e, "valueFrom", "fieldRef").get("fieldPath"));
            }
        }
        return env;
    }
}
