package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class AccessBaselineTest {

    private static RoleBinding build(ResolvedProduct product, String environment) {
        return AccessBaseline.build(product, Fixtures.environment(product, environment));
    }

    private static ResolvedProduct threeEnvironments(String tier) {
        return Fixtures.resolve("payments", """
                team: payments-sre
                tier: %s
                environments: [{name: prod}, {name: staging, namespace: pay-stage}, {name: dev}]
                """.formatted(tier));
    }

    @Test
    void bindsTheTeamsGroupInTheEnvironmentNamespace() {
        RoleBinding binding = build(threeEnvironments("standard"), "prod");

        assertThat(binding.getApiVersion()).isEqualTo("rbac.authorization.k8s.io/v1");
        assertThat(binding.getKind()).isEqualTo("RoleBinding");
        assertThat(binding.getMetadata().getName()).isEqualTo("groundwork-team");
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("payments-prod");
        assertThat(binding.getMetadata().getLabels()).containsOnly(
                entry("app.kubernetes.io/managed-by", "groundwork"),
                entry("groundwork.dev/product", "payments"),
                entry("groundwork.dev/environment", "prod"));
        assertThat(binding.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(binding.getSubjects()).containsExactly(new SubjectBuilder()
                .withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("oidc:payments-sre").build());
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "critical, prod,    view",
            "critical, staging, edit",
            "critical, dev,     edit",
            "standard, prod,    view",
            "standard, staging, edit",
            "standard, dev,     edit",
            "sandbox,  prod,    edit",
            "sandbox,  staging, edit",
            "sandbox,  dev,     edit",
    })
    void theStandardsRolePerTierAndEnvironment(String tier, String environment, String role) {
        RoleBinding binding = build(threeEnvironments(tier), environment);

        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role);
        assertThat(binding.getMetadata().getLabels()).containsEntry("groundwork.dev/environment", environment);
    }

    @Test
    void theExplicitNamespaceOfAnEnvironmentIsUsed() {
        assertThat(build(threeEnvironments("critical"), "staging").getMetadata().getNamespace()).isEqualTo("pay-stage");
    }

    @Test
    void everyFieldTheApiServerWouldDefaultIsWritten() {
        // Without apiGroup on the subject the server fills it in, and the live object would read back different.
        Subject subject = build(threeEnvironments("standard"), "dev").getSubjects().get(0);
        assertThat(subject.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(subject.getNamespace()).as("a Group has no namespace").isNull();
        String json = Serialization.asJson(build(threeEnvironments("standard"), "dev"));
        assertThat(json).doesNotContain("\"namespace\":null");
    }

    @Test
    void sameInputSameObject() {
        assertThat(build(threeEnvironments("critical"), "prod")).isEqualTo(build(threeEnvironments("critical"), "prod"));
    }

    @Test
    void anEnvironmentWithoutAResolvedRoleIsAProgrammingError() {
        ResolvedProduct product = threeEnvironments("standard");
        assertThatThrownBy(() -> AccessBaseline.build(product, new Environment("qa", "payments-qa")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qa");
    }

    @Test
    void aRefusedBindIsRoleNotBindableNamingTheRole() {
        RoleBinding binding = build(threeEnvironments("standard"), "prod");
        String server = "rolebindings.rbac.authorization.k8s.io \"groundwork-team\" is forbidden: user \"system:serviceaccount:gw:gw\" "
                + "(groups=[\"system:serviceaccounts\"]) is attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}";

        Problem problem = AccessBaseline.refusal(binding, 403, server).orElseThrow();

        assertThat(problem.reason()).isEqualTo(Reason.RoleNotBindable);
        assertThat(problem.message()).contains("may not bind ClusterRole view")
                .contains("is attempting to grant RBAC permissions not currently held")
                .doesNotContain("Verbs").contains("standard.access.bindableRoles");
    }

    @Test
    void otherRefusalsAreNotAboutTheRole() {
        RoleBinding binding = build(threeEnvironments("standard"), "prod");
        assertThat(AccessBaseline.refusal(binding, 403, "rolebindings.rbac.authorization.k8s.io \"groundwork-team\" is "
                + "forbidden: User \"x\" cannot patch resource \"rolebindings\"")).isEmpty();
        assertThat(AccessBaseline.refusal(binding, 500, "is forbidden: whatever")).isEmpty();
        assertThat(AccessBaseline.refusal(binding, 403, null)).isEmpty();
        assertThat(AccessBaseline.refusal(Fixtures.product("payments", "team: a\nenvironments: [{name: prod}]"), 403,
                "is forbidden: user is attempting to grant RBAC permissions")).isEmpty();
    }

    @Test
    void aStandardWithOtherRolesAndGroupTemplate() {
        var s = Fixtures.STANDARD;
        var tiers = new java.util.EnumMap<>(s.tiers());
        var standardTier = s.tier(dev.groundwork.api.v1alpha1.Tier.standard);
        tiers.put(dev.groundwork.api.v1alpha1.Tier.standard, new dev.groundwork.standard.Standard.TierStandard(
                standardTier.podSecurity(), standardTier.egress(), standardTier.storage(), standardTier.logging(),
                new dev.groundwork.standard.Standard.TierAccess("view", Map.of("dev", "admin"))));
        var standard = new dev.groundwork.standard.Standard(s.podSecurity(), tiers, s.storage(), s.ingressController(),
                s.monitoring(), s.dns(), s.logging(), s.environments(), s.protectedNamespaces(), s.namespaceAdoption(),
                new dev.groundwork.standard.Standard.Access("ldap:team-{team}", java.util.List.of("view", "admin")));
        ResolvedProduct product = Fixtures.resolve(standard, Fixtures.product("payments", """
                team: payments-sre
                environments: [{name: prod}, {name: dev}]
                """));

        assertThat(build(product, "prod").getRoleRef().getName()).as("not listed: the default role").isEqualTo("view");
        assertThat(build(product, "dev").getRoleRef().getName()).isEqualTo("admin");
        assertThat(build(product, "dev").getSubjects().get(0).getName()).isEqualTo("ldap:team-payments-sre");
    }
}
