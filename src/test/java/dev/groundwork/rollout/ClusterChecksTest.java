package dev.groundwork.rollout;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.standard.Standard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What only the cluster can say about a new standard: roles that exist, environments and namespaces in use. */
@EnableKubernetesMockClient(crud = true)
class ClusterChecksTest {
    /** The built-in standard: environments prod, staging, dev; bindable roles view and edit. */
    private static final Standard IN_FORCE = StandardLoader.defaults().standard();

    /** One server for the class: each test refuses roles of its own. */
    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeAll
    static void theBindableRolesExist() {
        for (String role : IN_FORCE.access().bindableRoles()) {
            client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(role).endMetadata()
                    .build()).create();
        }
    }

    private static Standard with(List<String> environments, List<String> protectedNamespaces, List<String> bindableRoles) {
        Standard s = IN_FORCE;
        return new Standard(s.podSecurity(), s.tiers(), s.storage(), s.ingressController(), s.monitoring(), s.dns(),
                s.logging(), environments, protectedNamespaces, s.namespaceAdoption(), new Standard.Access(s.access().groupTemplate(), bindableRoles));
    }

    private static Standard environments(String... environments) {
        return with(List.of(environments), IN_FORCE.protectedNamespaces(), IN_FORCE.access().bindableRoles());
    }

    private static Standard protecting(Standard base, String... more) {
        List<String> namespaces = new java.util.ArrayList<>(base.protectedNamespaces());
        namespaces.addAll(List.of(more));
        return with(base.environments(), namespaces, base.access().bindableRoles());
    }

    private static Standard roles(String... roles) {
        return with(IN_FORCE.environments(), IN_FORCE.protectedNamespaces(), List.of(roles));
    }

    /** A product using these environments, its namespaces "<name>-<environment>" in the given states. */
    private static ProductPlatform product(String name, String environments, String namespaces) {
        return Serialization.unmarshal("""
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata: {name: %s}
                spec: {team: t, environments: %s}
                status: {namespaces: %s}
                """.formatted(name, environments, namespaces), ProductPlatform.class);
    }

    private static ProductPlatform using(String name, String... environments) {
        return product(name, "[" + String.join(", ", java.util.Arrays.stream(environments)
                .map(e -> "{name: " + e + "}").toList()) + "]", "[]");
    }

    private void refuse(String role, int code) {
        server.expect().get().withPath("/apis/rbac.authorization.k8s.io/v1/clusterroles/" + role)
                .andReturn(code, new StatusBuilder().withCode(code).withMessage("refused").build()).always();
    }

    private List<String> problems(Standard standard, ProductPlatform... products) {
        return ClusterChecks.problems(standard, IN_FORCE, List.of(products), client);
    }

    @Test
    void aStandardThatTakesNothingAwayHasNoProblems() {
        assertThat(problems(IN_FORCE, using("shop", "prod", "staging"), using("pay", "dev"))).isEmpty();
    }

    @Test
    void aBindableRoleThatDoesNotExistIsAProblem() {
        assertThat(problems(roles("view", "auditor", "edit", "operator")))
                .containsExactly("access.bindableRoles: ClusterRole auditor does not exist",
                        "access.bindableRoles: ClusterRole operator does not exist");
    }

    @Test
    void aRoleTheOperatorMayNotReadIsOneItMayNotBind() {
        refuse("admin", 403);

        assertThat(problems(roles("view", "admin"))).containsExactly("access.bindableRoles: the operator may not bind "
                + "ClusterRole admin (the chart grants bind on its standard.access.bindableRoles only)");
    }

    @Test
    void anyOtherApiErrorFailsTheCheckRatherThanJudgingTheStandard() {
        refuse("ops", 401);

        assertThatThrownBy(() -> problems(roles("view", "ops"))).isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(401);
    }

    @Test
    void removingAnEnvironmentInUseNamesEveryProductUsingIt() {
        List<String> problems = problems(environments("prod"), using("shop", "prod", "staging"),
                using("pay", "staging", "dev"), using("ledger", "prod"));

        assertThat(problems).containsExactly("environments: dev is missing but used by product pay",
                "environments: staging is missing but used by product pay, shop");
    }

    @Test
    void anEnvironmentTheStandardInForceNeverAllowedIsNotHeldAgainstTheNewOne() {
        assertThat(problems(environments("prod", "staging"), using("shop", "qa", "dev")))
                .containsExactly("environments: dev is missing but used by product shop");
    }

    @Test
    void protectingANamespaceAProductHoldsReadyIsAProblem() {
        ProductPlatform shop = product("shop", "[{name: prod}]", "[{name: shop-prod, environment: prod, state: Ready}]");
        ProductPlatform pay = product("pay", "[{name: prod}]", "[{name: pay-prod, environment: prod, state: Conflict}]");
        ProductPlatform ledger = product("ledger", "[{name: prod}]", "[{name: ledger-prod, environment: prod, state: Pending}]");

        assertThat(problems(protecting(IN_FORCE, "shop-prod", "pay-prod", "ledger-prod"), shop, pay, ledger))
                .containsExactly("protectedNamespaces: shop-prod is a namespace of product shop");
    }

    @Test
    void aNamespaceTheStandardInForceAlreadyProtectsIsNotANewProblem() {
        ProductPlatform shop = product("shop", "[{name: prod}]", "[{name: shop-prod, environment: prod, state: Ready}]");
        Standard protectingShop = protecting(IN_FORCE, "shop-prod");

        assertThat(ClusterChecks.problems(protectingShop, protectingShop, List.of(shop), client)).isEmpty();
    }

    @Test
    void aProductWithoutSpecOrStatusTakesNothingAway() {
        ProductPlatform bare = new ProductPlatform();
        bare.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bare").build());

        assertThat(problems(protecting(environments("prod"), "bare-prod"), bare)).isEmpty();
    }
}
