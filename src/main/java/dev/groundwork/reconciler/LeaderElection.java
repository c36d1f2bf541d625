package dev.groundwork.reconciler;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Several replicas may run: a Lease in the operator's namespace lets exactly one reconcile. Quarkus Operator SDK
 * picks this bean up (in the prod profile); without an operator namespace there is nowhere to put the Lease.
 */
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /** Dependent scope: the producer may return null, which switches leader election off. */
    @Produces
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "groundwork.leader-election.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "groundwork.leader-election.lease-name", defaultValue = "groundwork-leader") String lease,
            @ConfigProperty(name = "groundwork.operator-namespace") Optional<String> namespace) {
        if (!enabled || namespace.filter(n -> !n.isBlank()).isEmpty()) {
            LOG.warn("leader election is off (enable it and set groundwork.operator-namespace): run one replica only");
            return null;
        }
        LOG.infof("leader election through Lease %s/%s", namespace.get(), lease);
        return new LeaderElectionConfiguration(lease, namespace.get());
    }
}
