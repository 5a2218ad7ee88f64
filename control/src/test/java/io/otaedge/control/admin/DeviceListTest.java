package io.otaedge.control.admin;

import static io.otaedge.control.admin.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.control.ControlHarness;
import io.otaedge.control.RunningControlTest;
import io.otaedge.control.device.DeviceCheck;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.task.UpgradeType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * {@code GET /admin/v1/products/{p}/devices}: cursor pages over the product's 64 device buckets (each device
 * present for the whole listing exactly once, even while others are added), and its filters.
 */
class DeviceListTest extends RunningControlTest {

    @Tag("slow") // 25,000 devices: run by `./mvnw -B verify -Pslow`
    @Test
    void pagingThrough25000DevicesListsEachExactlyOnceWhileOthersAreAdded() {
        String pid = ControlHarness.uniqueId("devlist");
        control.createProduct(pid);
        DeviceRepository devices = new DeviceRepository(control.redis.async());
        record(devices, pid, "d", 0, 25_000, "1.0", 1_000);

        Map<String, Integer> seen = new HashMap<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list(pid, "limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(d -> seen.merge(d.get("deviceId").asText(), 1, Integer::sum));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            if (++pages == 5) {
                // Devices joining mid-listing: they may or may not be listed; the others stay exactly once.
                record(devices, pid, "late", 0, 2_000, "1.0", 1_000);
            }
        } while (cursor != null);

        for (int i = 0; i < 25_000; i++) {
            assertThat(seen.remove("d" + i)).as("d" + i).isEqualTo(1);
        }
        assertThat(seen.keySet()).as("the rest: late joiners only, once each").allMatch(id -> id.startsWith("late"));
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(pages).isBetween(26, 28);
    }

    @Test
    void filtersByVersionLastSeenAndTaskState() {
        String pid = ControlHarness.uniqueId("devfilter");
        String auth = ControlHarness.authorization(control.createProduct(pid), pid);
        DeviceRepository devices = new DeviceRepository(control.redis.async());
        record(devices, pid, "old", 0, 30, "1.0", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        record(devices, pid, "new", 0, 20, "2.0", Instant.parse("2026-06-01T00:00:00Z").toEpochMilli());

        assertThat(ids(pid, "version=2.0")).hasSize(20).allMatch(id -> id.startsWith("new"));
        assertThat(ids(pid, "lastSeenBefore=2026-03-01T00:00:00Z")).hasSize(30).allMatch(id -> id.startsWith("old"));
        assertThat(ids(pid, "lastSeenAfter=2026-03-01T00:00:00Z&version=1.0")).isEmpty();
        JsonNode one = list(pid, "version=2.0&limit=1").get("items").get(0);
        assertThat(one.get("fotaVersion").asText()).isEqualTo("2.0");
        assertThat(one.get("lastCheckAt").asText()).isEqualTo("2026-06-01T00:00:00Z");

        String fw = control.uploadFirmware(pid, "3.0", new byte[] {1, 2, 3}).get("id").asText();
        String task = control.createTask(pid, "{\"firmwareId\":\"" + fw + "\",\"devices\":[\"101\",\"102\"]}").get("id").asText();
        control.checkJson(auth, ControlHarness.seedBody(101, "1.0"));
        control.checkJson(auth, ControlHarness.seedBody(103, "1.0"));
        assertThat(ids(pid, "task=" + task)).containsExactly("101");
        assertThat(ids(pid, "task=" + task + "&state=TO_BE_UPGRADED")).containsExactly("101");
        assertThat(ids(pid, "task=" + task + "&state=SUCCEEDED")).isEmpty();
        assertThat(list(pid, "task=" + task).get("items").get(0).get("taskState").asText()).isEqualTo("TO_BE_UPGRADED");
        assertThat(ids(pid, "version=1.0")).hasSize(32).contains("101", "103");
    }

    @Test
    void badQueriesAre400sNamingTheParameterAndAnUnknownProductIs404() {
        String pid = ControlHarness.uniqueId("devbad");
        control.createProduct(pid);
        String base = "/admin/v1/products/" + pid + "/devices?";
        assertError(control.adminGet(base + "limit=0"), 400, "bad_request");
        assertError(control.adminGet(base + "limit=1001"), 400, "bad_request");
        assertError(control.adminGet(base + "cursor=bm9wZQ"), 400, "invalid_cursor");
        assertError(control.adminGet(base + "state=FAILED"), 400, "bad_request");
        assertThat(control.adminGet(base + "lastSeenAfter=yesterday").body()).contains("lastSeenAfter");
        assertError(control.adminGet("/admin/v1/products/nope-" + pid + "/devices"), 404, "product_not_found");
        JsonNode empty = list(pid, "");
        assertThat(empty.get("items")).isEmpty();
        assertThat(empty.get("nextCursor").isNull()).isTrue();
    }

    /** Devices {@code prefix}{from…to-1} checked in at {@code at} with {@code version}, through the real script. */
    static void record(DeviceRepository devices, String pid, String prefix, int from, int to, String version, long at) {
        Flux.range(from, to - from)
                .flatMap(i -> devices.recordCheck(new DeviceCheck(pid, prefix + i, UpgradeType.FOTA, version, null, null,
                        null, null), at, null), 16)
                .blockLast();
    }

    private static JsonNode list(String pid, String query) {
        var r = control.adminGet("/admin/v1/products/" + pid + "/devices?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ControlHarness.json(r);
    }

    /** Every id the filter lists, following the cursors. */
    private static List<String> ids(String pid, String query) {
        List<String> out = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = list(pid, query + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.get("items").forEach(d -> {
                out.add(d.get("deviceId").asText());
                unique.add(d.get("deviceId").asText());
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(unique).hasSameSizeAs(out);
        return out;
    }
}
