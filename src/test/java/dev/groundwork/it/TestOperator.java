package dev.groundwork.it;

import dev.groundwork.api.v1alpha1.ProductPlatform;
import dev.groundwork.cluster.OperatorSettings;
import dev.groundwork.product.ProductPlatformReconciler;
import dev.groundwork.rollout.PlatformStandardReconciler;
import dev.groundwork.standard.LoadedStandard;
import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * The operator's reconciler run in-process by the Java Operator SDK against the real test API server, with its
 * own client whose writes are counted. The Quarkus packaging of the same reconciler is exercised by ExamplesIT.
 */
public final class TestOperator implements AutoCloseable {
    public static final Path GENERATED_CRD = Path.of("target/kubernetes/productplatforms.groundwork.dev-v1.yml");
    public static final Path GENERATED_STANDARD_CRD = Path.of("target/kubernetes/platformstandards.groundwork.dev-v1.yml");


    private final Operator operator;
    private final KubernetesClient client;
    private final WriteCounter writes = new WriteCounter();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, AtomicInteger> reconciliations = new ConcurrentHashMap<>();

    private TestOperator(io.fabric8.kubernetes.client.Config config, LoadedStandard standard, Duration resync,
                         String operatorNamespace) {
        client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("write-counter", writes))
                .build();
        Metrics counting = new Metrics() {
            @Override
            public void reconciliationSucceeded(HasMetadata resource, Map<String, Object> metadata) {
                reconciliations.computeIfAbsent(resource.getMetadata().getName(), k -> new AtomicInteger()).incrementAndGet();
            }
        };
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(true).withMetrics(counting));
        OperatorSettings settings = new OperatorSettings(Optional.of(operatorNamespace), Duration.ofSeconds(2), Duration.ofSeconds(1));
        operator.register(new ProductPlatformReconciler(standard, settings, meters), c -> c.withReconciliationMaxInterval(resync));
        operator.register(new PlatformStandardReconciler(settings, standard, meters), c -> c.withReconciliationMaxInterval(resync));
        operator.start();
    }

    public static TestOperator start() {
        return start(StandardLoader.defaults(), Duration.ofMinutes(10));
    }

    public static TestOperator start(LoadedStandard standard, Duration resync) {
        return start(ApiServer.config(), standard, resync);
    }

    /** @param config whose credentials the operator uses, e.g. a token of the chart's ServiceAccount */
    public static TestOperator start(io.fabric8.kubernetes.client.Config config, LoadedStandard standard, Duration resync) {
        return start(config, standard, resync, "groundwork-system");
    }

    /** @param operatorNamespace where the operator keeps its revisions of the standard: the chart's release namespace */
    public static TestOperator start(io.fabric8.kubernetes.client.Config config, LoadedStandard standard, Duration resync,
                                     String operatorNamespace) {
        installCrd();
        return new TestOperator(config, standard, resync, operatorNamespace);
    }

    public static synchronized void installCrd() {
        installCrd(GENERATED_CRD);
        installCrd(GENERATED_STANDARD_CRD);
    }

    private static void installCrd(Path file) {
        try (KubernetesClient admin = ApiServer.client(); InputStream crd = new FileInputStream(file.toFile())) {
            CustomResourceDefinition definition = admin.apiextensions().v1().customResourceDefinitions().load(crd).item();
            admin.resource(definition).forceConflicts().serverSideApply();
            admin.apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many reconciliations of the product have finished. */
    public int reconciliations(String product) {
        return reconciliations.getOrDefault(product, new AtomicInteger()).get();
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    public WriteCounter writes() {
        return writes;
    }

    @Override
    public void close() {
        operator.stop();
    }

    /** Waits until the product's status satisfies the check. */
    public static ProductPlatform awaitStatus(KubernetesClient admin, String name, Consumer<ProductPlatform> check) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            ProductPlatform product = admin.resources(ProductPlatform.class).withName(name).get();
            check.accept(product);
        });
        return admin.resources(ProductPlatform.class).withName(name).get();
    }
}
