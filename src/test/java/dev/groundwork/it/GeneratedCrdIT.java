package dev.groundwork.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * crds/ and the chart's crds/ hold exactly the CRD the build generates from the Java model, and the real API
 * server accepts it and serves its documentation. Run with -Dgroundwork.crd.update=true to copy the build's
 * output into both.
 */
class GeneratedCrdIT {
    static final String FILE = "productplatforms.groundwork.dev-v1.yml";
    static final List<Path> COMMITTED = List.of(Path.of("crds", FILE), Path.of("helm", "groundwork", "crds", FILE));

    @Test
    void committedCrdsEqualTheGeneratedOne() throws IOException {
        if (Boolean.getBoolean("groundwork.crd.update")) {
            for (Path path : COMMITTED) {
                Files.createDirectories(path.getParent());
                Files.copy(TestOperator.GENERATED_CRD, path, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String generated = Files.readString(TestOperator.GENERATED_CRD);
        for (Path path : COMMITTED) {
            assertThat(path).exists();
            assertThat(Files.readString(path))
                    .as("%s is out of step with the build: run mvn verify -Dit.test=GeneratedCrdIT -Dgroundwork.crd.update=true", path)
                    .isEqualTo(generated);
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
