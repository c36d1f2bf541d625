package dev.groundwork.baseline;

import dev.groundwork.api.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class LabelsTest {

    @Test
    void managedLabelsAreExactlyTheThreeOfTheContract() {
        assertThat(Labels.managed("payments", "prod")).containsExactly(
                entry("app.kubernetes.io/managed-by", "groundwork"),
                entry("groundwork.dev/product", "payments"),
                entry("groundwork.dev/environment", "prod"));
    }

    @Test
    void managedSelectorMatchesTheManagedLabel() {
        assertThat(Labels.MANAGED_SELECTOR).isEqualTo("app.kubernetes.io/managed-by=groundwork");
        assertThat(Labels.NAME_PREFIX).isEqualTo("groundwork-");
    }

    @Test
    void everyCallGivesAFreshMapTheCallerMayExtend() {
        Map<String, String> first = Labels.managed("payments", "prod");
        first.put(Labels.TEAM, "payments-sre");

        assertThat(Labels.managed("payments", "prod")).doesNotContainKey(Labels.TEAM).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "sandbox"})
    void everyPlannedObjectCarriesTheManagedLabelsAndAGroundworkName(String tier) {
        ResolvedProduct product = Fixtures.everything("payments", tier);

        Baseline baseline = new BaselinePlanner(Fixtures.STANDARD)
                .plan(product, Fixtures.facts(true, "standard-rwo", "legacy-hdd"), Fixtures::noLiveAnnotations);

        assertThat(baseline.environments()).hasSize(2).allSatisfy(env -> {
            String environment = env.environment().name();
            assertThat(env.objects()).hasSizeGreaterThan(5);
            List<HasMetadata> objects = env.objects().stream().map(DesiredObject::object).toList();
            assertThat(objects).allSatisfy(object -> assertThat(object.getMetadata().getLabels()).contains(
                    entry("app.kubernetes.io/managed-by", "groundwork"),
                    entry("groundwork.dev/product", "payments"),
                    entry("groundwork.dev/environment", environment)));
            assertThat(objects).filteredOn(object -> !(object instanceof Namespace)).isNotEmpty()
                    .allSatisfy(object -> {
                        assertThat(object.getMetadata().getName()).startsWith("groundwork-");
                        assertThat(object.getMetadata().getNamespace()).isEqualTo(env.environment().namespace());
                    });
        });
    }
}
