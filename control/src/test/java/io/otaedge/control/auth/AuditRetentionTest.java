package io.otaedge.control.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.control.audit.AuditEntry;
import io.otaedge.control.audit.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.lettuce.core.XAddArgs;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Retention ({@code OTA_AUDIT_RETENTION}): each add trims, in the same command, the entries older than the
 * retention ({@code XADD … MINID}), so the trail never needs a scan to stay bounded. Real Redis, on a stream of
 * the test's own holding entries as written 91 and 89 days ago (instead of waiting for them to age).
 */
class AuditRetentionTest {

    private static AuditEntry entry(String target) {
        return new AuditEntry(Instant.now(), "bootstrap", "bootstrap", "POST", "/admin/v1/x/{id}", Map.of("id", target), 200,
                "127.0.0.1", null);
    }

    @Test
    void anAddTrimsWhatIsOlderThanTheRetention() throws Exception {
        var redis = TestRedis.connector().async();
        String stream = AuditTrail.STREAM + ":retention-test-" + UUID.randomUUID();
        Duration retention = Duration.ofDays(90);
        long longAgo = Instant.now().minus(retention).minus(Duration.ofDays(1)).toEpochMilli();
        long recent = Instant.now().minus(retention).plus(Duration.ofDays(1)).toEpochMilli();
        // Entries as an instance wrote them 91 and 89 days ago.
        redis.xadd(stream, new XAddArgs().id(longAgo + "-0"), Map.of("at", "x")).get();
        redis.xadd(stream, new XAddArgs().id(recent + "-0"), Map.of("at", "x")).get();

        AuditTrail trail = new AuditTrail(redis, stream, retention, Clock.systemUTC(), () -> { });
        String fresh = trail.append(entry("r3")).block();

        assertThat(redis.xrange(stream, Range.create("-", "+")).get()).extracting(m -> m.getId())
                .containsExactly(recent + "-0", fresh);
        assertThat(trail.size().block()).isEqualTo(2L);
        redis.del(stream).get();
    }

    @Test
    void aShortRetentionIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.otaedge.control.ControlConfig.from(
                io.otaedge.common.config.Settings.from(Map.of("OTA_ADMIN_KEY", "k", "OTA_EDGE_PUBLIC_ADDRESS", "e:1",
                        "OTA_AUDIT_RETENTION", "PT0S"))))
                .hasMessageContaining("OTA_AUDIT_RETENTION");
    }
}
