package dev.groundwork.drift;

import dev.groundwork.baseline.ObjectKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RepairBackoffTest {
    private static final ObjectKey KEY = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-default-deny");
    private static final ObjectKey OTHER = new ObjectKey("NetworkPolicy", "shop-prod", "groundwork-allow-dns");
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final RepairBackoff backoff = new RepairBackoff(RepairBackoff.Track.REPAIRS, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(10));
    private final ProductMemory memory = new ProductMemory();

    @Test
    void theFirstRepairIsNeverBlocked() {
        assertThat(backoff.blockedUntil(memory, KEY, T0)).isEmpty();
    }

    @Test
    void repeatedRepairsDoubleTheWaitUpToTheMaximum() {
        Instant now = T0;
        long[] expected = {1, 2, 4, 8, 8, 8};
        for (long seconds : expected) {
            backoff.repaired(memory, KEY, now);
            Instant until = backoff.blockedUntil(memory, KEY, now).orElseThrow();
            assertThat(Duration.between(now, until)).isEqualTo(Duration.ofSeconds(seconds));
            now = until;
        }
    }

    @Test
    void aRepairIsAllowedAgainOnceTheWaitIsOver() {
        backoff.repaired(memory, KEY, T0);

        assertThat(backoff.blockedUntil(memory, KEY, T0.plusMillis(999))).contains(T0.plusSeconds(1));
        assertThat(backoff.blockedUntil(memory, KEY, T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void anObjectLeftAloneForTheQuietPeriodStartsAfresh() {
        backoff.repaired(memory, KEY, T0);
        backoff.repaired(memory, KEY, T0.plusSeconds(1));
        backoff.repaired(memory, KEY, T0.plusSeconds(3));
        Instant later = T0.plusSeconds(3).plus(Duration.ofMinutes(11));

        backoff.repaired(memory, KEY, later);

        assertThat(backoff.blockedUntil(memory, KEY, later)).contains(later.plusSeconds(1));
    }

    @Test
    void objectsBackOffIndependently() {
        backoff.repaired(memory, KEY, T0);
        backoff.repaired(memory, KEY, T0.plusSeconds(1));

        assertThat(backoff.blockedUntil(memory, OTHER, T0.plusSeconds(1))).isEmpty();
    }
}
