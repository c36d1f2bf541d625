package dev.groundwork.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeAll;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PlatformStandard CRD refuses at admission what the API server can judge, naming the field: `kubectl apply`
 * of each invalid standard fails, dry-run on the server so nothing is stored.
 */
class StandardAdmissionIT {
    @BeforeAll
    static void crds() {
        TestOperator.installCrd();
    }

    static Stream<Arguments> invalidStandards() {
        return Stream.of(
                invalid("a name other than default", "name: default", "name: mine", "the standard is one object per cluster, named default"),
                invalid("a default above its ceiling", "", "tiers:\n    standard:\n      storage: {ceilingTotal: 100Gi, defaultTotal: 200Gi}",
                        "spec.tiers.standard.storage.defaultTotal: Invalid value: defaultTotal must not exceed ceilingTotal"),
                invalid("a default claim size above its ceiling", "", "tiers:\n    sandbox:\n      storage: {ceilingClaimSize: 1Gi}",
                        "spec.tiers.sandbox.storage.defaultClaimSize: Invalid value: defaultClaimSize must not exceed ceilingClaimSize"),
                invalid("default claims above the ceiling", "", "tiers:\n    critical:\n      storage: {ceilingClaims: 5}",
                        "spec.tiers.critical.storage.defaultClaims: Invalid value: defaultClaims must not exceed ceilingClaims"),
                invalid("retention default above the ceiling", "", "tiers:\n    standard:\n      logging: {ceilingDays: 10}",
                        "spec.tiers.standard.logging.defaultDays: Invalid value: defaultDays must not exceed ceilingDays"),
                invalid("an unknown tier", "", "tiers:\n    gold: {egress: deny}", "unknown field \"spec.tiers.gold\""),
                invalid("an unknown egress", "", "tiers:\n    critical: {egress: maybe}", "spec.tiers.critical.egress: Unsupported value: \"maybe\""),
                invalid("an unknown Pod Security level", "", "tiers:\n    critical:\n      podSecurity: {enforce: strict}",
                        "spec.tiers.critical.podSecurity.enforce: Unsupported value: \"strict\""),
                invalid("a default class not allowed", "", "storage: {allowedClasses: [fast-rwo], defaultClasses: [standard-rwo]}",
                        "spec.storage.defaultClasses: Invalid value: every default class must be one of storage.allowedClasses"),
                invalid("a default sink not defined", "", "logging: {defaultSink: archive}",
                        "spec.logging.defaultSink: Invalid value: logging.defaultSink must name a sink defined in logging.sinks"),
                invalid("a bad quantity", "", "tiers:\n    standard:\n      storage: {ceilingTotal: lots}",
                        "spec.tiers.standard.storage: Invalid value: storage sizes must be quantities such as 500Gi"),
                invalid("an empty environment list", "", "environments: []", "spec.environments: Invalid value: 0: spec.environments in body should have at least 1 items"),
                invalid("an environment name too long", "", "environments: [production-europe1]", "spec.environments[0]: Too long"),
                invalid("a role not bindable", "", "tiers:\n    sandbox:\n      access: {defaultRole: admin}",
                        "spec.tiers: Invalid value: every role a tier gives must be one of access.bindableRoles"),
                invalid("a sink that is not a DNS label", "", "logging: {defaultSink: Audit_Logs}", "spec.logging.defaultSink"),
                invalid("a group template without the team", "", "access: {groupTemplate: everyone}", "spec.access.groupTemplate"),
                invalid("no bindable role", "", "access: {bindableRoles: []}", "spec.access.bindableRoles"),
                invalid("an unknown rollout strategy", "", "rollout: {strategy: Someday}", "spec.rollout.strategy: Unsupported value: \"Someday\""),
                invalid("an unknown impact policy", "", "rollout: {impactPolicy: Ignore}",
                        "spec.rollout.impactPolicy: Unsupported value: \"Ignore\""),
                invalid("a soak that is not a duration", "", "rollout:\n    waves: [{name: all, tiers: [critical], soak: ten minutes}]",
                        "spec.rollout.waves[0].soak"),
                invalid("a progress deadline that is not a duration", "", "rollout: {progressDeadline: 5}",
                        "spec.rollout.progressDeadline"),
                invalid("two waves of the same name", "", "rollout:\n    waves: [{name: a, tiers: [critical]}, {name: a, tiers: [sandbox]}]",
                        "spec.rollout.waves: Invalid value: wave names must be unique"),
                invalid("a wave that selects nothing", "", "rollout:\n    waves: [{name: a}]",
                        "spec.rollout.waves[0].selector: Invalid value: a wave selects products by selector, tiers or both"),
                invalid("a wave without a name", "", "rollout:\n    waves: [{tiers: [critical]}]", "spec.rollout.waves[0].name: Required value"),
                invalid("negative failures tolerated", "", "rollout: {maxFailures: -1}", "spec.rollout.maxFailures"),
                invalid("no waves", "", "rollout: {waves: []}", "spec.rollout.waves"),
                invalid("a bad Pod Security version", "", "podSecurity: {version: \"1.35\"}", "spec.podSecurity.version"));
    }

    private static Arguments invalid(String what, String from, String to, String expected) {
        return Arguments.of(what, from, to, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidStandards")
    void refusedAtAdmissionNamingTheField(String what, String from, String to, String expected) {
        String manifest = """
                apiVersion: groundwork.dev/v1alpha1
                kind: PlatformStandard
                metadata:
                  name: default
                spec:
                  %s
                """.formatted(to.isEmpty() ? "{}" : to);
        if (!from.isEmpty()) {
            manifest = manifest.replace(from, to);
            manifest = manifest.replace("spec:\n  " + to, "spec: {}");
        }
        Kubectl.Result result = Kubectl.runWithInput(manifest, "apply", "--dry-run=server", "-f", "-");
        assertThat(result.ok()).as("%s was admitted:\n%s", what, manifest).isFalse();
        assertThat(result.output()).as(what).contains(expected);
    }
}
