package dev.groundwork.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Several replicas may run: a Lease in the operator's namespace lets exactly one reconcile. Quarkus Operator SDK
 * picks the configuration up (in the prod profile); without an operator namespace there is nowhere to put the Lease.
 *
 * <p>How leadership ends. JOSDK (up to 5.3.2 at least) calls {@code System.exit} when leadership stops, also when
 * it stops because the operator itself is being stopped from Quarkus' shutdown hook: {@code System.exit} inside a
 * shutdown hook blocks forever, so a leader given SIGTERM hung until SIGKILL and never released its Lease (JOSDK
 * issues #1614, #2496, #3376). So JOSDK is told not to exit, and this class decides:
 * <ul>
 * <li>stopping (SIGTERM, a rollout): JOSDK stops the controllers and waits for running reconciliations, then
 * cancels leader election, which calls {@link #stoppedLeading()}; the Lease is released there (holder cleared,
 * as Fabric8's releaseOnCancel does), so a standby takes over at its next retry instead of after the Lease expires;
 * <li>the Lease lost while running (not renewed within the renew deadline, or taken over): the process exits, so
 * that two replicas can never reconcile at once; it restarts and converges.
 * </ul>
 */
@Singleton
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    /** How long an exit after a lost Lease may take before the JVM is halted. */
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(20);

    private final Instance<KubernetesClient> clients;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private volatile String namespace;
    private volatile String leaseName;
    private volatile String identity;

    @Inject
    LeaderElection(Instance<KubernetesClient> clients) {
        this.clients = clients;
    }

    /** Dependent scope: the producer may return null, which switches leader election off. */
    @Produces
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "groundwork.leader-election.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "groundwork.leader-election.lease-name", defaultValue = "groundwork-leader") String lease,
            @ConfigProperty(name = "groundwork.leader-election.lease-duration", defaultValue = "15s") Duration leaseDuration,
            @ConfigProperty(name = "groundwork.leader-election.renew-deadline", defaultValue = "10s") Duration renewDeadline,
            @ConfigProperty(name = "groundwork.leader-election.retry-period", defaultValue = "1s") Duration retryPeriod,
            @ConfigProperty(name = "groundwork.operator-namespace") Optional<String> operatorNamespace) {
        if (!enabled || operatorNamespace.filter(n -> !n.isBlank()).isEmpty()) {
            LOG.warn("leader election is off (enable it and set groundwork.operator-namespace): run one replica only");
            return null;
        }
        namespace = operatorNamespace.get();
        leaseName = lease;
        // As JOSDK would choose it: the pod name, else a random one.
        identity = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
        LOG.infof("leader election through Lease %s/%s as %s (lease duration %ss, renew deadline %ss, retry period %ss)",
                namespace, leaseName, identity, leaseDuration.toSeconds(), renewDeadline.toSeconds(), retryPeriod.toSeconds());
        // The full constructor: JOSDK's builder refuses exitOnStopLeading=false outside tests.
        return new LeaderElectionConfiguration(lease, namespace, leaseDuration, renewDeadline, retryPeriod, identity,
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader), false);
    }

    /** Runs before Quarkus Operator SDK stops the operator (its observer has the default priority). */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        shuttingDown.set(true);
    }

    private void startedLeading() {
        LOG.infof("leading: this replica (%s) reconciles", identity);
    }

    private void newLeader(String holder) {
        LOG.debugf("the Lease %s/%s is held by %s", namespace, leaseName, holder);
    }

    /** Called by Fabric8's leader elector, before JOSDK's own handler (which only logs, exitOnStopLeading=false). */
    void stoppedLeading() {
        if (shuttingDown.get() || jvmShuttingDown()) {
            release();
            return;
        }
        LOG.errorf("lost the Lease %s/%s: exiting, so that two replicas never reconcile at once", namespace, leaseName);
        // Not from this thread: the shutdown that System.exit starts waits for the operator's threads, this one included.
        Thread exit = new Thread(() -> System.exit(1), "groundwork-lost-lease-exit");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(EXIT_DEADLINE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf("still running %ss after losing the Lease: halting", EXIT_DEADLINE.toSeconds());
            Runtime.getRuntime().halt(1);
        }, "groundwork-lost-lease-halt");
        halt.setDaemon(true);
        halt.start();
        exit.start();
    }

    /**
     * Gives the Lease up if this replica still holds it, as Fabric8's LeaderElector.release does: no holder, a lease
     * duration of 1 s. The update carries the resourceVersion just read, so it never overwrites a new holder.
     */
    void release() {
        try {
            KubernetesClient client = clients.get();
            Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                LOG.infof("stopping: the Lease %s/%s is not held by %s, nothing to release", namespace, leaseName, identity);
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setAcquireTime(now);
            lease.getSpec().setRenewTime(now);
            client.resource(lease).update();
            LOG.infof("stopping: released the Lease %s/%s, a standby replica takes over at its next retry", namespace, leaseName);
        } catch (KubernetesClientException | IllegalStateException e) {
            LOG.warnf("stopping: could not release the Lease %s/%s (%s); a standby takes over when it expires",
                    namespace, leaseName, e.getMessage());
        }
    }

    /** Whether the JVM runs its shutdown hooks: then no new hook may be added. */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
