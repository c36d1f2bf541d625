package dev.groundwork.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluator NamespaceIdentityIT judges NetworkPolicies with must itself be right. */
class LabelSelectorsTest {
    private static final Map<String, String> SHOP_PROD = Map.of("groundwork.dev/product", "shop",
            "groundwork.dev/environment", "prod", "kubernetes.io/metadata.name", "shop-prod");

    @Test
    void matchLabelsMustAllBePresentWithTheirValues() {
        assertThat(LabelSelectors.matches(labels("groundwork.dev/product", "shop"), SHOP_PROD)).isTrue();
        assertThat(LabelSelectors.matches(labels("groundwork.dev/product", "pay"), SHOP_PROD)).isFalse();
        assertThat(LabelSelectors.matches(labels("team", "shop"), SHOP_PROD)).isFalse();
    }

    @Test
    void expressionsAreAndedWithTheLabels() {
        LabelSelector byNameAndLabel = new LabelSelectorBuilder().withMatchLabels(Map.of("groundwork.dev/product", "shop"))
                .addNewMatchExpression().withKey("kubernetes.io/metadata.name").withOperator("In").withValues("shop-prod").endMatchExpression()
                .build();

        assertThat(LabelSelectors.matches(byNameAndLabel, SHOP_PROD)).isTrue();
        assertThat(LabelSelectors.matches(byNameAndLabel, Map.of("groundwork.dev/product", "shop",
                "kubernetes.io/metadata.name", "forged"))).isFalse();
    }

    @Test
    void everyOperator() {
        assertThat(LabelSelectors.matches(expression("groundwork.dev/environment", "NotIn", "prod"), SHOP_PROD)).isFalse();
        assertThat(LabelSelectors.matches(expression("groundwork.dev/environment", "NotIn", "dev"), SHOP_PROD)).isTrue();
        assertThat(LabelSelectors.matches(expression("groundwork.dev/tier", "Exists"), SHOP_PROD)).isFalse();
        assertThat(LabelSelectors.matches(expression("groundwork.dev/tier", "DoesNotExist"), SHOP_PROD)).isTrue();
    }

    @Test
    void anEmptySelectorSelectsEverythingAndNoSelectorNothing() {
        assertThat(LabelSelectors.matches(new LabelSelector(), SHOP_PROD)).isTrue();
        assertThat(LabelSelectors.matches(null, SHOP_PROD)).isFalse();
    }

    private static LabelSelector labels(String key, String value) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build();
    }

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator).withValues(values)
                .endMatchExpression().build();
    }
}
