package dev.groundwork.node;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance 5, the tier's last class: `hack/node.sh down` leaves the machine as set-up found it: the same processes,
 * links, addresses, routes, iptables and ipset rules, mounts, network namespaces, cgroups, sysctls and paths outside
 * the work dir (hack/node.sh snapshot, before `up` and after `down`; target/node/{before,after}.txt).
 */
@Order(Integer.MAX_VALUE)
class TeardownNodeIT {
    @Test
    void teardownLeavesNothingBehind() {
        if (!Node.attempted()) {
            Node.shared(); // run alone: set up first, so that there is something to tear down
        }
        Instant t0 = Instant.now();
        String diff = Node.down(true);
        System.out.println("[node] teardown + snapshot in " + Duration.between(t0, Instant.now()).toMillis() + " ms");
        assertThat(diff).as("what the node left on the machine (- before set-up, + after teardown)").isEmpty();
    }
}
