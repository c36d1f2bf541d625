package dev.groundwork.kube;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({
            "1024Mi, 1Gi",
            "1Gi,    1024Mi",
            "2048Ki, 2Mi",
            "1000M,  1G",
            "1G,     1000000000",
            "0,      0Gi",
            "1Ki,    1024",
            "0.5Gi,  512Mi",
    })
    void equalValuesCompareEqual(String a, String b) {
        assertThat(Quantities.compare(a, b)).isZero();
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1G,     1Gi",
            "1000Mi, 1Gi",
            "1023Mi, 1Gi",
            "500Gi,  2Ti",
            "0,      1",
            "20Gi,   100Gi",
            "93Gi,   100G",
    })
    void smallerValuesCompareSmaller(String smaller, String larger) {
        assertThat(Quantities.compare(smaller, larger)).isNegative();
        assertThat(Quantities.compare(larger, smaller)).isPositive();
    }

    @Test
    void valueIsInBaseUnits() {
        assertThat(Quantities.value("1Ki")).isEqualByComparingTo(BigDecimal.valueOf(1024));
        assertThat(Quantities.value("1k")).isEqualByComparingTo(BigDecimal.valueOf(1000));
        assertThat(Quantities.value("2Gi")).isEqualByComparingTo(BigDecimal.valueOf(2L * 1024 * 1024 * 1024));
        assertThat(Quantities.value("20")).isEqualByComparingTo(BigDecimal.valueOf(20));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1024Mi,   1Gi",
            "2048Ki,   2Mi",
            "1000M,    1G",
            "500Gi,    500Gi",
            "0,        0",
            "0Gi,      0",
            "20,       20",
            "1024Gi,   1Ti",
            "1048576Ki, 1Gi",
            "204800Mi, 200Gi",
            "1536Mi,   1536Mi",
            "1.5Gi,    1536Mi",
            "0.5Gi,    512Mi",
            "2000,     2k",
            "1500M,    1500M",
            "1.5G,     1500M",
            "100Gi,    100Gi",
            "2Ti,      2Ti",
    })
    void canonicalForm(String given, String canonical) {
        assertThat(Quantities.canonical(given)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1024Mi", "2048Ki", "1000M", "500Gi", "0", "20", "1.5Gi", "3Ti", "7k"})
    void canonicalFormIsStableAndKeepsTheValue(String given) {
        String canonical = Quantities.canonical(given);

        assertThat(Quantities.canonical(canonical)).isEqualTo(canonical);
        assertThat(Quantities.compare(canonical, given)).isZero();
    }

    @Test
    void validity() {
        assertThat(Quantities.isValid("200Gi")).isTrue();
        assertThat(Quantities.isValid("1.5G")).isTrue();
        assertThat(Quantities.isValid("lots")).isFalse();
        assertThat(Quantities.isValid("12Qi")).isFalse();
    }
}
