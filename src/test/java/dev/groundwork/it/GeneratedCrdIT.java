package dev.groundwork.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * crds/ and the chart's crds/ hold exactly the CRDs the build generates from the Java model (ProductPlatform and
 * PlatformStandard), and the real API server accepts them and serves their documentation. Run with
 * -Dgroundwork.crd.update=true to copy the build's output into both.
 */
class GeneratedCrdIT {
    static final List<Path> GENERATED = List.of(TestOperator.GENERATED_CRD, TestOperator.GENERATED_STANDARD_CRD);
    static final List<Path> DIRECTORIES = List.of(Path.of("crds"), Path.of("helm", "groundwork", "crds"));

    @Test
    void committedCrdsEqualTheGeneratedOnes() throws IOException {
        for (Path generatedFile : GENERATED) {
            for (Path directory : DIRECTORIES) {
                Path path = directory.resolve(generatedFile.getFileName());
                if (Boolean.getBoolean("groundwork.crd.update")) {
                    Files.createDirectories(directory);
                    Files.copy(generatedFile, path, StandardCopyOption.REPLACE_EXISTING);
                }
                assertThat(path).exists();
                assertThat(Files.readString(path))
                        .as("%s is out of step with the build: run mvn verify -Dit.test=GeneratedCrdIT -Dgroundwork.crd.update=true", path)
                        .isEqualTo(Files.readString(generatedFile));
            }
        }
    }

    @Test
    void theApiServerServesTheirDocumentation() {
        TestOperator.installCrd();
        // The OpenAPI document is published a moment after the CRD is established.
        Kubectl.Result explain = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> Kubectl.run("explain", "productplatform.spec.storage"), Kubectl.Result::ok);
        assertThat(explain.output()).contains("maxClaimSize", "Largest single PersistentVolumeClaim",
                "StorageClasses the product may use");
        Kubectl.Result tiers = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> Kubectl.run("explain", "platformstandard.spec.tiers"), Kubectl.Result::ok);
        assertThat(tiers.output()).contains("critical", "standard", "sandbox", "Business-critical products");
        Kubectl.Result tier = Kubectl.run("explain", "platformstandard.spec.tiers.standard", "--recursive");
        assertThat(tier.ok()).as(tier.output()).isTrue();
        assertThat(tier.output()).contains("podSecurity", "egress", "storage", "ceilingTotal", "defaultTotal", "logging",
                "ceilingDays", "access", "defaultRole");
        Kubectl.Result resources = Kubectl.run("api-resources", "--api-group=groundwork.dev", "-o", "wide");
        assertThat(resources.output()).contains("productplatforms", "pp", "false", "ProductPlatform", "groundwork")
                .contains("platformstandards", "pstd", "PlatformStandard");
        assertThat(resources.output().lines().filter(l -> l.startsWith("platformstandards ")).findFirst().orElseThrow())
                .as("cluster-scoped, in category groundwork").contains("pstd", "false", "PlatformStandard", "groundwork");
    }
}
