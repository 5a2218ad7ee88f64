package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import io.otaedge.common.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NB-IoT cell cap split by signal band, end to end (issue #16, control 5): OneNET devices check with the signal
 * they hear ({@code signals}, OneNET's documented check parameter: the seed /work/shared/seeds/onenet-south-check.txt
 * and {@code iotgz-docs/subbook/ota/book/develop/south-API/1task.md}), then download in ranges naming their base
 * station ({@code ?s_id=}, {@code 3port.md}), all on the edge. The signal travels in the download token's grant to the
 * edge, which puts each download in its band's pool; a device over its pool gets OneNET's one-byte {@code 6}, and the
 * task view counts the distinct devices turned away as {@code heldByCellCap}.
 */
class CellCapEndToEndTest {

    static final int SIZE = 100_000;
    static final String CELL = "460001234";

    @TempDir
    static Path dataDir;
    static Standalone system;
    static OtaTestClient admin;
    static String taskId;
    static String authorization;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void publish() throws Exception {
        system = Standalone.start(StandaloneEndToEndTest.settings(dataDir, "OTA_EDGE_CELL_CAP", "good:1,medium:1,poor:1"));
        admin = new OtaTestClient(system);
        byte[] firmware = new byte[SIZE];
        new Random(11).nextBytes(firmware);
        admin.createProduct("cells");
        JsonNode fw = admin.uploadFirmware("cells", "2.0.0", "m5311.bin", firmware);
        taskId = admin.createTask("cells", fw.get("id").asText());
        authorization = admin.oneNetAuthorization("cells");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** The device's check, reporting {@code signals} (omitted when null); its token. */
    String check(int devId, Integer signals) throws Exception {
        String target = "/ota/south/check?dev_id=" + devId + "&manuf=100&model=10001&type=1&version=1.0.0&cdn=false"
                + (signals == null ? "" : "&signals=" + signals);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge(target)))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = Json.mapper().readTree(r.body());
        assertThat(answer.get("errno").asInt()).as(r.body()).isZero();
        return answer.get("data").get("token").asText();
    }

    /** The first KiB of the firmware, as an NB-IoT device asks for it: the download goes on, its slot stays taken. */
    HttpResponse<byte[]> firstRange(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge("/ota/south/download/" + token + "?s_id=" + CELL)))
                .header("Range", "bytes=0-1023").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String edge(String target) {
        return "http://127.0.0.1:" + system.edgePort() + target;
    }

    long heldByCellCap() {
        try {
            HttpResponse<String> r = admin.adminGet("/admin/v1/tasks/" + taskId);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return Json.mapper().readTree(r.body()).path("heldByCellCap").asLong(0); // absent while none
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void devicesOverTheirBandsPoolGetCode6AndTheTaskViewCountsEachDeviceTurnedAwayOnce() throws Exception {
        assertThat(heldByCellCap()).as("before any refusal").isZero();
        String good = check(8001, 25);
        String poor = check(8002, null);
        String medium = check(8003, 12);
        String goodToo = check(8004, 18);
        String poorToo = check(8005, 99);

        for (String admitted : new String[] {good, poor, medium}) {
            assertThat(firstRange(admitted).statusCode()).as("the first device of its band").isEqualTo(206);
        }
        for (String refused : new String[] {goodToo, goodToo, poorToo}) {
            HttpResponse<byte[]> r = firstRange(refused);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).as("OneNET's base-station limit").containsExactly('6');
        }
        assertThat(firstRange(good).statusCode()).as("an admitted device's next range").isEqualTo(206);

        Await.until(Duration.ofSeconds(10), () -> heldByCellCap() == 2, "two distinct devices refused, one of them twice");
    }
}
