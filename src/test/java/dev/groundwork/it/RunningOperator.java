package dev.groundwork.it;

import dev.groundwork.standard.StandardLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * JUnit extension for a test class that needs the operator running against the real API server, and an admin
 * client to act as a user: started before the class, stopped after it.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final RunningOperator running = RunningOperator.resyncEvery(Duration.ofSeconds(2));
 * </pre>
 */
public final class RunningOperator implements BeforeAllCallback, AfterAllCallback {
    private final Duration resync;
    private boolean flowApi;
    private boolean withoutOptionalApis;
    private TestOperator operator;
    private KubernetesClient admin;

    private RunningOperator(Duration resync) {
        this.resync = resync;
    }

    public static RunningOperator withDefaults() {
        return resyncEvery(Duration.ofMinutes(10));
    }

    public static RunningOperator resyncEvery(Duration resync) {
        return new RunningOperator(resync);
    }

    /** Installs the kube-logging Flow CRD before the operator starts, so that it manages Flows. */
    public RunningOperator withFlowApi() {
        flowApi = true;
        return this;
    }

    /** Removes the optional APIs' CRDs (Flow, OpenReports) before the operator starts, so a test can install them later. */
    public RunningOperator withoutOptionalApis() {
        withoutOptionalApis = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        admin = ApiServer.client();
        if (withoutOptionalApis) {
            OptionalCrds.remove(admin, "flows.logging.banzaicloud.io");
            OptionalCrds.remove(admin, "reports.openreports.io");
        }
        if (flowApi) {
            DriftIT.installFlowApi(admin);
        }
        operator = TestOperator.start(StandardLoader.defaults(), resync);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        operator.close();
        admin.close();
    }

    public TestOperator operator() {
        return operator;
    }

    public KubernetesClient admin() {
        return admin;
    }

    /** Stops the operator and starts a new one, as a rollout or a crash would. */
    public TestOperator restart() {
        operator.close();
        operator = TestOperator.start(StandardLoader.defaults(), resync);
        return operator;
    }
}
