package dev.groundwork.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid manifests are rejected by the API server itself (OpenAPI schema and CEL rules of the CRD), through
 * kubectl as a user would apply them, with a message that names the offending field.
 */
class AdmissionIT {

    @BeforeAll
    static void installCrd() {
        TestOperator.installCrd();
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                invalid("team missing", "team: adm", "", "spec.team: Required value"),
                invalid("team not a DNS label", "team: adm", "team: Payments_SRE", "spec.team"),
                invalid("unknown tier", "tier: standard", "tier: gold", "spec.tier: Unsupported value: \"gold\""),
                invalid("unknown mode", "mode: Enforce", "mode: Fix", "spec.mode: Unsupported value: \"Fix\""),
                invalid("no environment", ENVIRONMENTS, "environments: []", "spec.environments"),
                invalid("eleven environments", ENVIRONMENTS, "environments:\n" + IntStream.range(0, 11)
                        .mapToObj(i -> "    - name: env" + i).collect(Collectors.joining("\n")), "spec.environments: Too many"),
                invalid("duplicate environment", ENVIRONMENTS, "environments:\n    - name: prod\n    - name: prod",
                        "spec.environments: Invalid value: environment names must be unique"),
                invalid("environment name too long", "- name: prod", "- name: production-europe1", "spec.environments[0].name: Too long"),
                invalid("environment name upper case", "- name: prod", "- name: Prod", "spec.environments[0].name"),
                invalid("namespace default", "- name: prod", "- name: prod\n      namespace: default",
                        "spec.environments[0].namespace: Invalid value: namespace must not be 'default'"),
                invalid("namespace kube-*", "- name: prod", "- name: prod\n      namespace: kube-tools",
                        "spec.environments[0].namespace: Invalid value: namespace must not be 'default' or start with 'kube-'"),
                invalid("shared namespace", ENVIRONMENTS, "environments:\n    - name: prod\n      namespace: adm-x\n"
                        + "    - name: staging\n      namespace: adm-x", "spec.environments: Invalid value: two environments must not name the same namespace"),
                invalid("product name too long", "name: adm-product", "name: " + "a".repeat(41), "metadata.name is the product id"),
                invalid("product named kube", "name: adm-product", "name: kube", "spec.environments: Invalid value: a product named 'kube'"),
                invalid("port zero", "ports: [8080]", "ports: [0]", "spec.networking.allowIngressFrom[0].ports[0]"),
                invalid("port too large", "ports: [8080]", "ports: [70000]", "spec.networking.allowIngressFrom[0].ports[0]"),
                invalid("peer not a DNS label", "product: storefront", "product: Store_Front", "spec.networking.allowIngressFrom[0].product"),
                invalid("duplicate peer", "      - product: storefront\n        ports: [8080]",
                        "      - product: storefront\n      - product: storefront",
                        "spec.networking.allowIngressFrom: Invalid value: products in allowIngressFrom must be unique"),
                invalid("bad CIDR", "cidr: 203.0.113.0/24", "cidr: 300.1.1.0/24",
                        "spec.networking.allowEgressCIDRs[0].cidr: Invalid value: cidr must be an IPv4 or IPv6 CIDR"),
                invalid("CIDR missing", "- cidr: 203.0.113.0/24", "- ports: [443]", "spec.networking.allowEgressCIDRs[0].cidr: Required value"),
                invalid("maxTotal not a quantity", "maxTotal: 100Gi", "maxTotal: lots",
                        "spec.storage.maxTotal: Invalid value: maxTotal must be a positive quantity"),
                invalid("maxClaimSize above maxTotal", "maxClaimSize: 20Gi", "maxClaimSize: 200Gi",
                        "spec.storage.maxClaimSize: Invalid value: maxClaimSize must not exceed maxTotal"),
                invalid("negative maxClaims", "maxClaims: 10", "maxClaims: -1", "spec.storage.maxClaims"),
                invalid("duplicate storage class", "classes: [standard-rwo]", "classes: [standard-rwo, standard-rwo]",
                        "spec.storage.classes: Invalid value: classes must be unique"),
                invalid("retention zero", "retentionDays: 30", "retentionDays: 0", "spec.logging.retentionDays"),
                invalid("sink not a DNS label", "sink: default", "sink: Default!", "spec.logging.sink"),
                invalid("unknown deletion policy", "deletionPolicy: Retain", "deletionPolicy: Purge",
                        "spec.deletionPolicy: Unsupported value: \"Purge\""),
                invalid("unknown field", "deletionPolicy: Retain", "deletionPolicy: Retain\n  colour: blue", "unknown field \"spec.colour\""));
    }

    private static final String ENVIRONMENTS = "environments:\n    - name: prod\n    - name: staging";

    private static final String VALID = """
            apiVersion: groundwork.dev/v1alpha1
            kind: ProductPlatform
            metadata:
              name: adm-product
            spec:
              team: adm
              tier: standard
              mode: Enforce
              environments:
                - name: prod
                - name: staging
              networking:
                allowIngressFrom:
                  - product: storefront
                    ports: [8080]
                allowEgressCIDRs:
                  - cidr: 203.0.113.0/24
                    ports: [443]
              storage:
                maxTotal: 100Gi
                maxClaims: 10
                maxClaimSize: 20Gi
                classes: [standard-rwo]
              logging:
                retentionDays: 30
                sink: default
              deletionPolicy: Retain
            """;

    private static Arguments invalid(String name, String replace, String with, String expected) {
        if (!VALID.contains(replace)) {
            throw new IllegalArgumentException(name + ": the valid manifest has no '" + replace + "'");
        }
        return Arguments.of(name, VALID.replaceFirst(java.util.regex.Pattern.quote(replace),
                java.util.regex.Matcher.quoteReplacement(with)), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void kubectlApplyRejectsWithTheOffendingField(String name, String manifest, String expected) {
        Kubectl.Result result = Kubectl.runWithInput(manifest, "apply", "--dry-run=server", "-f", "-");
        assertThat(result.ok()).as("%s was accepted:%n%s", name, manifest).isFalse();
        assertThat(result.output()).as(name).contains(expected);
    }

    @org.junit.jupiter.api.Test
    void theValidManifestIsAccepted() {
        Kubectl.Result result = Kubectl.runWithInput(VALID, "apply", "--dry-run=server", "-f", "-");
        assertThat(result.output()).contains("productplatform.groundwork.dev/adm-product created (server dry run)");
        assertThat(result.ok()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void defaultsAreFilledByTheApiServer() {
        String minimal = """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: adm-minimal
                spec:
                  team: adm
                  environments:
                    - name: prod
                """;
        Kubectl.Result result = Kubectl.runWithInput(minimal, "apply", "--dry-run=server", "-o",
                "jsonpath={.spec.tier}/{.spec.mode}/{.spec.deletionPolicy}", "-f", "-");
        assertThat(result.output()).isEqualTo("standard/Enforce/Retain");
    }
}
