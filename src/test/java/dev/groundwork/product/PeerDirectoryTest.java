package dev.groundwork.product;

import dev.groundwork.api.Labels;
import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.baseline.ProductResolver;
import dev.groundwork.baseline.ResolvedProduct;
import dev.groundwork.standard.Standard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Who is whose peer: a namespace the peer declares and groundwork manages for it, read from the caches. */
class PeerDirectoryTest {
    private static final Standard STANDARD = StandardLoader.defaults().standard();
    /** The peer pay with its prod namespace only. */
    private static final Map<String, Map<String, String>> ONLY_PAY_PROD = Map.of("pay", Map.of("prod", "pay-prod"));

    private final Products products = new Products();
    private final FakeCluster cluster = new FakeCluster();
    private final PeerDirectory directory = new PeerDirectory(products, cluster,
            p -> new ProductResolver(STANDARD, new HashSet<>(STANDARD.protectedNamespaces())).environments(p));

    /** The primary cache of ProductPlatforms, its indexes computed as JOSDK's informer cache does: on each object. */
    private static final class Products implements IndexerResourceCache<ProductPlatform> {
        private final Map<ResourceID, ProductPlatform> items = new LinkedHashMap<>();
        private final Map<String, Function<ProductPlatform, List<String>>> indexers = new HashMap<>();

        void add(ProductPlatform product) {
            items.put(ResourceID.fromResource(product), product);
        }

        @Override
        public void addIndexers(Map<String, Function<ProductPlatform, List<String>>> added) {
            indexers.putAll(added);
        }

        @Override
        public List<ProductPlatform> byIndex(String index, String key) {
            return items.values().stream().filter(p -> indexers.get(index).apply(p).contains(key)).toList();
        }

        @Override
        public java.util.Optional<ProductPlatform> get(ResourceID id) {
            return java.util.Optional.ofNullable(items.get(id));
        }

        @Override
        public Stream<ResourceID> keys() {
            return items.keySet().stream();
        }

        @Override
        public Stream<ProductPlatform> list(Predicate<ProductPlatform> predicate) {
            return items.values().stream().filter(predicate);
        }

        @Override
        public Stream<ProductPlatform> list(String namespace, Predicate<ProductPlatform> predicate) {
            return list(predicate);
        }
    }

    private void product(String name, String specYaml) {
        products.add(FakeCluster.product(name, specYaml));
    }

    /** A peer "pay" with its environments and namespaces as given, e.g. "[{name: prod}]". */
    private void pay(String environments) {
        product("pay", "team: pay-team\nenvironments: " + environments);
    }

    /** pay as {@link #pay}, with its prod namespace pay-prod in place, managed for it. */
    private void payInProd(String environments) {
        pay(environments);
        namespace("pay-prod", true, "pay", "prod");
    }

    private void namespace(String name, boolean managed, String product, String environment) {
        Map<String, String> labels = new HashMap<>(Map.of(Labels.PRODUCT, product, Labels.ENVIRONMENT, environment));
        if (managed) {
            labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        }
        cluster.put(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build());
    }

    private static ResolvedProduct shopCalling(String... peers) {
        StringBuilder spec = new StringBuilder("team: shop-team\nenvironments: [{name: prod}]\nnetworking:\n  allowEgressTo:\n");
        for (String peer : peers) {
            spec.append("    - product: ").append(peer).append('\n');
        }
        return FakeCluster.resolve(FakeCluster.product("shop", spec.toString()));
    }

    private Map<String, Map<String, String>> peersOfShop(String... peers) {
        return directory.of(shopCalling(peers)).byPeer();
    }

    /** pay declares these environments and has pay-prod and one more namespace labelled for it: only pay-prod is pay's. */
    private void assertOnlyPayProdIsFoundWith(String environments, String namespace, boolean managed, String environment) {
        payInProd(environments);
        namespace(namespace, managed, "pay", environment);

        assertThat(peersOfShop("pay")).isEqualTo(ONLY_PAY_PROD);
    }

    @Test
    void aPeersNamespacesAreThoseItDeclaresAndGroundworkManagesForIt() {
        pay("[{name: prod}, {name: staging, namespace: payments-stg}]");
        namespace("pay-prod", true, "pay", "prod");
        namespace("payments-stg", true, "pay", "staging");

        assertThat(peersOfShop("pay")).isEqualTo(Map.of("pay", Map.of("prod", "pay-prod", "staging", "payments-stg")));
    }

    @Test
    void aNamespaceLabelledForThePeerThatThePeerDoesNotDeclareIsNotItsNamespace() {
        assertOnlyPayProdIsFoundWith("[{name: prod}]", "pay-dev", true, "dev");
    }

    @Test
    void aNamespaceGroundworkDoesNotManageIsNotAPeerNamespace() {
        assertOnlyPayProdIsFoundWith("[{name: prod}, {name: staging}]", "pay-staging", false, "staging");
    }

    @Test
    void aDeclaredNamespaceLabelledForAnotherProductOrEnvironmentIsNotThePeers() {
        pay("[{name: prod}, {name: staging}]");
        namespace("pay-prod", true, "fraud", "prod");
        namespace("pay-staging", true, "pay", "prod");

        assertThat(peersOfShop("pay")).isEmpty();
    }

    @Test
    void anEnvironmentThePeersStandardRefusesHasNoPeerNamespace() {
        // qa is not an environment of the built-in standard: groundwork never claims pay-qa for pay.
        assertOnlyPayProdIsFoundWith("[{name: prod}, {name: qa}]", "pay-qa", true, "qa");
    }

    @Test
    void aPeerThatDoesNotExistOrHasNoNamespaceYetIsLeftOut() {
        payInProd("[{name: prod}]");
        product("fraud", "team: fraud-team\nenvironments: [{name: prod}]");

        assertThat(peersOfShop("pay", "fraud", "ledger")).containsOnlyKeys("pay");
    }

    @Test
    void theProductsDeclaringAProductAsAPeerAreFoundInEitherDirection() {
        product("shop", "team: shop-team\nenvironments: [{name: prod}]\nnetworking: {allowEgressTo: [{product: pay}]}");
        product("fraud", "team: fraud-team\nenvironments: [{name: prod}]\nnetworking: {allowIngressFrom: [{product: pay}]}");
        product("ledger", "team: ledger-team\nenvironments: [{name: prod}]\nnetworking: {allowEgressTo: [{product: fraud}]}");
        product("pay", "team: pay-team\nenvironments: [{name: prod}]");

        assertThat(directory.declaring("pay")).containsExactlyInAnyOrder(new ResourceID("shop"), new ResourceID("fraud"));
        assertThat(directory.declaring("fraud")).containsExactly(new ResourceID("ledger"));
        assertThat(directory.declaring("shop")).isEmpty();
    }

    @Test
    void aProductWithoutSpecDeclaresNoPeer() {
        ProductPlatform empty = FakeCluster.product("empty", "team: x");
        empty.setSpec(null);
        products.add(empty);

        assertThat(directory.declaring("pay")).isEmpty();
    }
}
