package dev.groundwork.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * crds/ and the chart's crds/ hold exactly the CRD the build generates from the Java model (with the printer
 * columns in the order the spec gives, which the generator cannot express), and the real API server accepts it.
 * Run with -Dgroundwork.crd.update=true to write both files from the build's output.
 */
class GeneratedCrdIT {
    static final String FILE = "productplatforms.groundwork.dev-v1.yml";
    static final List<Path> COMMITTED = List.of(Path.of("crds", FILE), Path.of("helm", "groundwork", "crds", FILE));
    /** kubectl get shows columns in CRD order; the generator sorts them by JSON path. */
    static final List<String> COLUMN_ORDER = List.of("Team", "Tier", "Mode", "Ready", "In-Sync", "Drifts", "Age", "Revision");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    static JsonNode expected() throws IOException {
        JsonNode crd = YAML.readTree(TestOperator.GENERATED_CRD.toFile());
        for (JsonNode version : crd.get("spec").get("versions")) {
            ArrayNode columns = (ArrayNode) version.get("additionalPrinterColumns");
            List<JsonNode> ordered = new ArrayList<>();
            columns.forEach(ordered::add);
            ordered.sort(Comparator.comparingInt(c -> COLUMN_ORDER.indexOf(c.get("name").asText())));
            assertThat(ordered).allSatisfy(c -> assertThat(COLUMN_ORDER).contains(c.get("name").asText()));
            ((ObjectNode) version).set("additionalPrinterColumns", YAML.valueToTree(ordered));
        }
        return crd;
    }

    @Test
    void committedCrdsEqualTheGeneratedOne() throws IOException {
        JsonNode expected = expected();
        if (Boolean.getBoolean("groundwork.crd.update")) {
            for (Path path : COMMITTED) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, "# Generated from the Java model by the build (see GeneratedCrdIT); do not edit.\n"
                        + YAML.writeValueAsString(expected));
            }
        }
        for (Path path : COMMITTED) {
            assertThat(Files.exists(path)).as("%s exists", path).isTrue();
            assertThat(YAML.readTree(path.toFile()))
                    .as("%s is out of step with the build: run mvn verify -Dit.test=GeneratedCrdIT -Dgroundwork.crd.update=true", path)
                    .isEqualTo(expected);
        }
    }

    @Test
    void theApiServerServesItsDocumentation() {
        TestOperator.installCrd();
        // The OpenAPI document is published a moment after the CRD is established.
        Kubectl.Result explain = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> Kubectl.run("explain", "productplatform.spec.storage"), Kubectl.Result::ok);
        assertThat(explain.output()).contains("maxClaimSize", "Largest single PersistentVolumeClaim",
                "StorageClasses the product may use");
        Kubectl.Result resources = Kubectl.run("api-resources", "--api-group=groundwork.dev", "-o", "wide");
        assertThat(resources.output()).contains("productplatforms", "pp", "false", "ProductPlatform", "groundwork");
    }
}
