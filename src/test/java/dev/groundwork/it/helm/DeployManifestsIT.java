package dev.groundwork.it.helm;

import dev.groundwork.it.Helm;
import dev.groundwork.it.TestOperator;
import dev.groundwork.it.helm.Manifests.Obj;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance 5: deploy/ is the chart rendered with its default values, byte for byte, and its CRDs are the ones the
 * build generates (crds/ and the chart's crds/ are held to it by GeneratedCrdIT). Re-render with
 * hack/render-deploy.sh when the chart changes.
 */
class DeployManifestsIT {
    private static final Path DEPLOY = Path.of("deploy");
    private static final String STALE = "deploy/ is out of step with the chart: run hack/render-deploy.sh";

    private static List<String> manifestFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .sorted().toList();
        }
    }

    @Test
    void deployIsAFreshRenderingByTheScript() throws Exception {
        Path out = Files.createTempDirectory("deploy-");
        try {
            Process script = new ProcessBuilder("hack/render-deploy.sh", out.toString()).redirectErrorStream(true).start();
            String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).as(output).isZero();

            assertThat(manifestFiles(DEPLOY)).as(STALE).isEqualTo(manifestFiles(out))
                    .containsExactly("00-namespace.yaml", "01-crd-platformstandards.groundwork.dev.yaml",
                            "01-crd-productplatforms.groundwork.dev.yaml", "02-groundwork.yaml");
            for (String file : manifestFiles(out)) {
                assertThat(Files.readAllBytes(DEPLOY.resolve(file))).as("%s: %s", file, STALE)
                        .isEqualTo(Files.readAllBytes(out.resolve(file)));
            }
        } finally {
            Helm.deleteTree(out);
        }
    }

    @Test
    void deployIsTheChartRenderedWithDefaults() throws Exception {
        String rendered = Helm.ok(Helm.run("template", "groundwork", Helm.CHART.toString(), "--namespace", "groundwork-system"));
        assertThat(Files.readString(DEPLOY.resolve("02-groundwork.yaml"))).as(STALE).isEqualTo(rendered);

        for (Path generatedFile : List.of(TestOperator.GENERATED_CRD, TestOperator.GENERATED_STANDARD_CRD)) {
            byte[] generated = Files.readAllBytes(generatedFile);
            String file = generatedFile.getFileName().toString();
            String deployed = "01-crd-" + file.replace("-v1.yml", ".yaml");
            assertThat(Files.readAllBytes(DEPLOY.resolve(deployed))).as("%s: %s", deployed, STALE).isEqualTo(generated);
            assertThat(Files.readAllBytes(Helm.CHART.resolve("crds").resolve(file))).as(file).isEqualTo(generated);
            assertThat(Files.readAllBytes(Path.of("crds").resolve(file))).as(file).isEqualTo(generated);
        }
        // deploy/ ships the standard: the complete default PlatformStandard.
        Obj standard = Manifests.get(Manifests.parse(rendered), "PlatformStandard");
        assertThat(standard.name()).isEqualTo("default");
        assertThat(Manifests.map(standard.tree(), "spec")).containsKeys("tiers", "storage", "environments", "rollout");

        Obj namespace = Manifests.get(Manifests.parse(Files.readString(DEPLOY.resolve("00-namespace.yaml"))), "Namespace");
        assertThat(namespace.name()).isEqualTo("groundwork-system");
        assertThat(Manifests.map(namespace.metadata(), "labels")).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        Set<String> clusterScoped = Set.of("PlatformStandard", "ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding");
        for (Obj o : Manifests.parse(rendered)) {
            assertThat(o.namespace()).as(o.toString()).isEqualTo(clusterScoped.contains(o.kind()) ? null : "groundwork-system");
        }
    }
}
