package io.otaedge.control.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.testing.Await;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The catalog cache between two control instances on one Redis: a copy is used within its TTL, a write drops the
 * copies of the instance it went through at once and the other instance's when its {@link CatalogChanges} message
 * arrives (an hour-long TTL here, so nothing else could; expiry itself is asserted in {@link ReadCacheTest}).
 */
class CatalogCacheTest {

    @Test
    void aWriteAppliesAtOnceWhereItWasMadeAndOnTheOtherInstanceWithItsChangeMessage() {
        // No device rate limit: devices 4 and 6 are asked until the message has come.
        try (ControlHarness a = new ControlHarness("OTA_CATALOG_CACHE_TTL", "PT1H", "OTA_RATE_DEVICE_PER_MINUTE", "0");
             ControlHarness b = new ControlHarness(a.redis, "OTA_CATALOG_CACHE_TTL", "PT1H", "OTA_RATE_DEVICE_PER_MINUTE", "0")) {
            Campaign c = runningTask(a, "cache");
            String auth = c.auth();
            String task = c.taskId();
            assertThat(errno(a, auth, 1)).isZero();
            assertThat(errno(b, auth, 2)).as("b caches the running task now").isZero();

            assertThat(post(a, "/admin/v1/tasks/" + task + "/pause").statusCode()).isEqualTo(200);
            assertThat(errno(a, auth, 3)).as("paused through a: a's copy was dropped").isEqualTo(11);
            Await.until(Duration.ofSeconds(5), () -> errno(b, auth, 4) == 11, "b to drop its copy on a's message");

            assertThat(post(b, "/admin/v1/tasks/" + task + "/resume").statusCode()).isEqualTo(200);
            assertThat(errno(b, auth, 5)).as("resumed through b: b's copy was dropped").isZero();
            Await.until(Duration.ofSeconds(5), () -> errno(a, auth, 6) == 0, "a to drop its copy on b's message");
        }
        assertThat(NonBlockingCheck.violations()).isEmpty();
    }

    @Test
    void withTheCacheOffEveryCheckSeesRedisAsItIs() {
        try (ControlHarness a = new ControlHarness("OTA_CATALOG_CACHE_TTL", "PT0S");
             ControlHarness b = new ControlHarness(a.redis, "OTA_CATALOG_CACHE_TTL", "PT0S")) {
            Campaign c = runningTask(a, "nocache");
            String auth = c.auth();
            String task = c.taskId();
            assertThat(errno(b, auth, 1)).isZero();
            assertThat(post(a, "/admin/v1/tasks/" + task + "/pause").statusCode()).isEqualTo(200);
            assertThat(errno(b, auth, 2)).isEqualTo(11);
        }
    }

    /** A product's OneNET authorization and the id of its running task. */
    private record Campaign(String auth, String taskId) {
    }

    private static Campaign runningTask(ControlHarness control, String prefix) {
        String pid = ControlHarness.uniqueId(prefix);
        String auth = ControlHarness.authorization(control.createProduct(pid), pid);
        String fw = control.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
        return new Campaign(auth, control.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText());
    }

    private static int errno(ControlHarness control, String auth, long device) {
        return control.checkJson(auth, ControlHarness.seedBody(device, "1.0")).get("errno").asInt();
    }

    private static HttpResponse<String> post(ControlHarness control, String path) {
        return control.adminPost(path, "");
    }
}
