package dev.groundwork.baseline;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.standard.Standard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Products written the way users write them (YAML), resolved against the built-in standard. */
final class Fixtures {
    /** The built-in standard, as a plain `helm install` gets it. */
    static final Standard STANDARD = StandardLoader.defaults().standard();
    /** The namespace the operator runs in; protected from products like kube-*. */
    static final String OPERATOR_NAMESPACE = "groundwork-operator";

    private Fixtures() {
    }

    /** The protected set exactly as the reconciler builds it: the standard's list plus the operator's namespace. */
    static Set<String> protectedNamespaces(Standard standard) {
        Set<String> namespaces = new HashSet<>(standard.protectedNamespaces());
        namespaces.add(OPERATOR_NAMESPACE);
        return namespaces;
    }

    /** A ProductPlatform named {@code name} whose spec is the given YAML (without the "spec:" line). */
    static ProductPlatform product(String name, String specYaml) {
        String yaml = """
                apiVersion: groundwork.dev/v1alpha1
                kind: ProductPlatform
                metadata:
                  name: %s
                spec:
                %s""".formatted(name, specYaml.stripTrailing().indent(2));
        return Serialization.unmarshal(yaml, ProductPlatform.class);
    }

    static ResolvedProduct resolve(String name, String specYaml) {
        return resolve(STANDARD, product(name, specYaml));
    }

    static ResolvedProduct resolve(Standard standard, ProductPlatform product) {
        return new ProductResolver(standard, protectedNamespaces(standard)).resolve(product);
    }

    /** A minimal valid product of the given tier with one prod environment. */
    static ResolvedProduct minimal(String name, String tier) {
        return resolve(name, """
                team: %s-team
                tier: %s
                environments:
                  - name: prod
                """.formatted(name, tier));
    }

    /** A product of the given tier that uses every networking option and two environments. */
    static ResolvedProduct everything(String name, String tier) {
        return resolve(name, """
                team: %s-team
                tier: %s
                environments:
                  - name: prod
                  - name: staging
                    namespace: %s-stage
                networking:
                  allowIngressFrom:
                    - product: storefront
                      ports: [8080, 8443]
                    - product: backoffice
                  allowEgressTo:
                    - product: ledger
                      ports: [9090]
                    - product: fraud
                  allowEgressCIDRs:
                    - cidr: 203.0.113.0/24
                      ports: [443]
                    - cidr: 198.51.100.0/24
                storage:
                  classes: [standard-rwo, fast-rwo]
                logging:
                  sink: audit
                """.formatted(name, tier, name));
    }

    static Environment environment(ResolvedProduct product, String name) {
        return product.environments().stream()
                .map(ResolvedProduct.PlannedEnvironment::environment)
                .filter(env -> env.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no environment " + name + " in " + product.environments()));
    }

    /** Cluster facts where every peer {@link #everything} declares has its namespaces, <peer>-<environment>. */
    static ClusterFacts facts(boolean flowApiInstalled, String... storageClasses) {
        Map<String, Map<String, String>> peers = new TreeMap<>();
        for (String peer : List.of("storefront", "backoffice", "ledger", "fraud")) {
            peers.put(peer, Map.of("prod", peer + "-prod", "staging", peer + "-staging"));
        }
        return new ClusterFacts(new TreeSet<>(List.of(storageClasses)), flowApiInstalled, new PeerNamespaces(peers));
    }

    static Map<String, String> noLiveAnnotations(String namespace) {
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T named(List<? extends HasMetadata> objects, String name) {
        return (T) objects.stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no object named " + name));
    }

    /** A copy of the built-in standard with another DNS location. */
    static Standard withDns(Standard s, Standard.Dns dns) {
        return new Standard(s.podSecurity(), s.tiers(), s.storage(), s.ingressController(), s.monitoring(), dns,
                s.logging(), s.environments(), s.protectedNamespaces(), s.namespaceAdoption(), s.access());
    }

    /** A copy of the built-in standard with another logging section. */
    static Standard withLogging(Standard s, Standard.Logging logging) {
        return new Standard(s.podSecurity(), s.tiers(), s.storage(), s.ingressController(), s.monitoring(), s.dns(),
                logging, s.environments(), s.protectedNamespaces(), s.namespaceAdoption(), s.access());
    }

    /** A copy of the built-in standard with another pinned Pod Security version. */
    static Standard withPodSecurityVersion(Standard s, String version) {
        return new Standard(new Standard.PodSecurity(version), s.tiers(), s.storage(), s.ingressController(),
                s.monitoring(), s.dns(), s.logging(), s.environments(), s.protectedNamespaces(), s.namespaceAdoption(), s.access());
    }
}
