package io.otaedge.control.edge;

import static io.otaedge.control.ControlHarness.authorization;
import static io.otaedge.control.ControlHarness.seedBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.fleet.EdgeStatus;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Devices are sent to a live, least-loaded edge from the registry, never to one whose heartbeat stopped. */
class EdgeDirectoryTest {

    private static final String FALLBACK = "fallback.example:8080";

    private final EdgeRegistry registry = new EdgeRegistry(TestRedis.connector().async());
    private final List<String> registered = new ArrayList<>();

    @AfterEach
    void deregister() {
        // The registry is global in the test Redis: leave nothing for the other tests' checks.
        registered.forEach(id -> registry.remove(id).toCompletableFuture().join());
    }

    private String beat(String address, int connections, long bytesPerSecond, Duration ttl) {
        String id = address + "-" + UUID.randomUUID().toString().substring(0, 8);
        registered.add(id);
        beat(id, address, connections, bytesPerSecond, ttl);
        return id;
    }

    private void beat(String id, String address, int connections, long bytesPerSecond, Duration ttl) {
        registry.beat(new EdgeStatus(id, address, connections, 1000, bytesPerSecond, System.currentTimeMillis()), ttl)
                .toCompletableFuture().join();
    }

    private static String pick(EdgeDirectory d) {
        return d.pick().block(Duration.ofSeconds(5));
    }

    @Test
    void theLeastLoadedOfTwoLiveEdgesIsChosen() {
        beat("busy.example:8080", 500, 1_000_000, Duration.ofMinutes(1));
        beat("idle.example:8080", 20, 5_000_000, Duration.ofMinutes(1));
        assertThat(pick(new EdgeDirectory(registry, FALLBACK, Duration.ofSeconds(1)))).isEqualTo("idle.example:8080");
    }

    @Test
    void anEdgeWhoseHeartbeatStoppedIsNoLongerHandedOut() {
        beat("dying.example:8080", 0, 0, Duration.ofMillis(700));
        beat("steady.example:8080", 300, 0, Duration.ofMinutes(1));
        EdgeDirectory directory = new EdgeDirectory(registry, FALLBACK, Duration.ofMillis(100));
        assertThat(pick(directory)).isEqualTo("dying.example:8080");

        // No more heartbeats from the dying edge: once its entry expires it is never chosen again.
        Await.until(Duration.ofSeconds(10), () -> pick(directory), "steady.example:8080"::equals, "the dead edge dropped");
        for (int i = 0; i < 20; i++) {
            assertThat(pick(directory)).isEqualTo("steady.example:8080");
        }
    }

    @Test
    void withNoEdgeRegisteredTheConfiguredAddressIsUsed() {
        assertThat(pick(new EdgeDirectory(registry, FALLBACK, Duration.ofSeconds(1)))).isEqualTo(FALLBACK);
    }

    @Test
    void theRegistryIsReadOncePerRefreshPeriod() {
        beat("first.example:8080", 10, 0, Duration.ofMinutes(1));
        EdgeDirectory directory = new EdgeDirectory(registry, FALLBACK, Duration.ofHours(1));
        assertThat(pick(directory)).isEqualTo("first.example:8080");
        beat("better.example:8080", 0, 0, Duration.ofMinutes(1));
        // Still the cached view: the better edge is not seen until the next refresh.
        assertThat(pick(directory)).isEqualTo("first.example:8080");
    }

    @Test
    void aBurstOfChecksSpreadsOverTheFleetBetweenRefreshes() {
        beat("a.example:8080", 0, 0, Duration.ofMinutes(1));
        beat("b.example:8080", 3, 0, Duration.ofMinutes(1));
        EdgeDirectory directory = new EdgeDirectory(registry, FALLBACK, Duration.ofHours(1));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            picks.add(pick(directory));
        }
        // a starts 3 connections lighter: it takes the first 3, then they alternate.
        assertThat(picks.subList(0, 3)).containsOnly("a.example:8080");
        assertThat(picks.stream().filter("b.example:8080"::equals).count()).isEqualTo(4);
    }

    @Test
    void aOneNetCheckHandsOutTheRegisteredEdge() {
        beat("registered.example:8443", 1, 0, Duration.ofMinutes(1));
        try (ControlHarness control = new ControlHarness()) {
            String pid = ControlHarness.uniqueId("edge");
            String key = control.createProduct(pid);
            String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
            control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}");
            var reply = control.checkJson(authorization(key, pid), seedBody(7, "1.0"));
            assertThat(reply.get("errno").asInt()).isZero();
            assertThat(reply.get("data").get("ipPort").asText()).isEqualTo("registered.example:8443");
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }
}
