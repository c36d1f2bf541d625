package dev.groundwork.standard;

import dev.groundwork.api.v1alpha1.PlatformStandardSpec.Wave;
import dev.groundwork.api.v1alpha1.Tier;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WavesTest {
    private static final List<Wave> WAVES = List.of(
            new Wave("canary", new LabelSelectorBuilder().withMatchLabels(Map.of("groundwork.dev/canary", "true")).build(), null, "10m"),
            new Wave("sandbox", null, List.of(Tier.sandbox), "10m"),
            new Wave("eu-standard", new LabelSelectorBuilder().withMatchLabels(Map.of("region", "eu")).build(), List.of(Tier.standard), null),
            new Wave("critical", null, List.of(Tier.critical), null));

    @Test
    void aProductIsInTheFirstWaveThatMatchesIt() {
        assertThat(Waves.indexOf(WAVES, Map.of("groundwork.dev/canary", "true"), Tier.critical)).isZero();
        assertThat(Waves.indexOf(WAVES, Map.of(), Tier.sandbox)).isEqualTo(1);
        assertThat(Waves.indexOf(WAVES, Map.of("region", "eu"), Tier.standard)).as("selector and tier").isEqualTo(2);
        assertThat(Waves.indexOf(WAVES, Map.of("region", "eu"), Tier.critical)).isEqualTo(3);
    }

    @Test
    void aProductNoWaveMatchesIsInTheLast() {
        assertThat(Waves.indexOf(WAVES, Map.of("region", "us"), Tier.standard)).isEqualTo(3);
        assertThat(Waves.indexOf(WAVES, Map.of("groundwork.dev/canary", "false"), Tier.standard)).isEqualTo(3);
    }

    @Test
    void durationsAreReadAsKubectlWritesThem() {
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2s500ms")).isEqualTo(Duration.ofMillis(2500));
        assertThat(Durations.parse(null)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Durations.parse("10 minutes")).hasMessageContaining("not a duration: 10 minutes");
    }
}
