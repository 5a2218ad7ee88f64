package io.otaedge.control.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.ControlHarness;
import io.otaedge.control.NonBlockingCheck;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The catalog cache between two control instances on one Redis: a copy is used within its TTL, a write
 * drops the copies of the instance it went through at once, and the other instance keeps its copy
 * (bounded by {@code OTA_CATALOG_CACHE_TTL}; expiry itself is asserted in {@link ReadCacheTest}).
 */
class CatalogCacheTest {

    @Test
    void aWriteAppliesAtOnceWhereItWasMadeAndWithinTheTtlElsewhere() {
        try (ControlHarness a = new ControlHarness("OTA_CATALOG_CACHE_TTL", "PT1H");
             ControlHarness b = new ControlHarness(a.redis, "OTA_CATALOG_CACHE_TTL", "PT1H")) {
            Campaign c = runningTask(a, "cache");
            String auth = c.auth();
            String task = c.taskId();
            assertThat(errno(a, auth, 1)).isZero();
            assertThat(errno(b, auth, 2)).isZero();

            assertThat(post(a, "/admin/v1/tasks/" + task + "/pause").statusCode()).isEqualTo(200);
            assertThat(errno(a, auth, 3)).as("paused through a: a's copy was dropped").isEqualTo(11);
            assertThat(errno(b, auth, 4)).as("b still uses its copy, younger than its TTL").isZero();

            assertThat(post(b, "/admin/v1/tasks/" + task + "/resume").statusCode()).isEqualTo(200);
            assertThat(post(b, "/admin/v1/tasks/" + task + "/stop").statusCode()).isEqualTo(200);
            assertThat(errno(b, auth, 5)).as("stopped through b: b's copy was dropped").isEqualTo(11);
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
