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
            String pid = ControlHarness.uniqueId("cache");
            String auth = ControlHarness.authorization(a.createProduct(pid), pid);
            String fw = a.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
            String task = a.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
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
            String pid = ControlHarness.uniqueId("nocache");
            String auth = ControlHarness.authorization(a.createProduct(pid), pid);
            String fw = a.uploadFirmware(pid, "2.0", new byte[] {1, 2, 3}).get("id").asText();
            String task = a.createTask(pid, "{\"firmwareId\":\"" + fw + "\"}").get("id").asText();
            assertThat(errno(b, auth, 1)).isZero();
            assertThat(post(a, "/admin/v1/tasks/" + task + "/pause").statusCode()).isEqualTo(200);
            assertThat(errno(b, auth, 2)).isEqualTo(11);
        }
    }

    private static int errno(ControlHarness control, String auth, long device) {
        return control.checkJson(auth, ControlHarness.seedBody(device, "1.0")).get("errno").asInt();
    }

    private static HttpResponse<String> post(ControlHarness control, String path) {
        return control.adminPost(path, "");
    }
}
