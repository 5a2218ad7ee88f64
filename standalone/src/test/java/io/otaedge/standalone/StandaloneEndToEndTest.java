package io.otaedge.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise, end to end on real sockets and a real Redis: an operator uploads a
 * firmware and creates a task, a OneNET device checks and gets a token, and the edge serves the
 * bytes, whole and by range.
 */
class StandaloneEndToEndTest {

    static final int SIZE = 3 * 1024 * 1024 + 123;

    @TempDir
    static Path dataDir;

    static Standalone system;
    static OtaTestClient client;
    static byte[] firmware;
    static String md5;
    static String token;

    static Settings settings(Path dir, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OTA_DATA_DIR", dir.toString(),
                "OTA_EDGE_PORT", "0",
                "OTA_CONTROL_PORT", "0",
                "OTA_ADMIN_PORT", "0",
                "OTA_EDGE_ADMIN_PORT", "0"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return Settings.from(env);
    }

    @BeforeAll
    static void startAndPublishAFirmware() throws Exception {
        system = Standalone.start(settings(dataDir));
        client = new OtaTestClient(system);
        firmware = new byte[SIZE];
        new Random(42).nextBytes(firmware);
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(firmware));

        client.createProduct("e2e");
        JsonNode fw = client.uploadFirmware("e2e", "1.2.0", "fw.bin", firmware);
        assertThat(fw.get("md5").asText()).isEqualTo(md5);
        assertThat(fw.get("size").asLong()).isEqualTo(SIZE);
        client.createTask("e2e", fw.get("id").asText());

        JsonNode check = client.oneNetCheck(client.oneNetAuthorization("e2e"), 6523, "1.0");
        assertThat(check.get("errno").asInt()).as(check.toString()).isZero();
        token = check.get("data").get("token").asText();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void controlRunsOnEpollNotIoUring() {
        // io_uring (reactor-netty prefers it when it is on the classpath) stalled control's device port under the
        // socket fuzzer; the edge's narrow Netty dependencies keep it off (docs/RELIABILITY.md, "Fuzzing").
        assertThat(system.controlTransport()).isEqualTo("epoll");
    }

    @Test
    void checkHandsTheDeviceTargetSizeMd5AndTheEdgeAddress() throws Exception {
        JsonNode data = client.oneNetCheck(client.oneNetAuthorization("e2e"), 6523, "1.0").get("data");
        assertThat(data.get("target").asText()).isEqualTo("1.2.0");
        assertThat(data.get("size").asLong()).isEqualTo(SIZE);
        assertThat(data.get("md5").asText()).isEqualTo(md5);
        assertThat(data.get("ipPort").asText()).isEqualTo("127.0.0.1:" + system.edgePort());
        assertThat(data.get("type").asInt()).isEqualTo(1);
    }

    @Test
    void secondCheckReturnsTheSameToken() throws Exception {
        JsonNode again = client.oneNetCheck(client.oneNetAuthorization("e2e"), 6523, "1.0");
        assertThat(again.get("data").get("token").asText()).isEqualTo(token);
    }

    @Test
    void wholeDownloadIsTheUploadedFirmware() throws Exception {
        HttpResponse<byte[]> r = client.get(client.download(token));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(r.body()).isEqualTo(firmware);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(r.body()))).isEqualTo(md5);
    }

    @Test
    void rangesReturnExactlyTheRequestedBytes() throws Exception {
        assertRange("bytes=0-0", 0, 0);
        assertRange("bytes=1000000-1065535", 1_000_000, 1_065_535);
        assertRange("bytes=-500", SIZE - 500, SIZE - 1);
        assertRange("bytes=" + (SIZE - 1) + "-", SIZE - 1, SIZE - 1);
        assertRange("bytes=0-", 0, SIZE - 1);
    }

    @Test
    void rangePastTheEndIs416WithTheSize() throws Exception {
        HttpResponse<byte[]> r = client.get(client.download(token), "Range", "bytes=" + SIZE + "-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
    }

    @Test
    void resumeByRepeatingTheRequestAssemblesTheWholeFile() throws Exception {
        byte[] assembled = new byte[SIZE];
        int received = 0;
        while (received < SIZE) {
            // A device on a flaky link: 700 KiB at a time, then "reconnect" with Range: bytes=<received>-.
            HttpResponse<byte[]> r = client.get(client.download(token), "Range", "bytes=" + received + "-" + (received + 700 * 1024 - 1));
            assertThat(r.statusCode()).isEqualTo(206);
            System.arraycopy(r.body(), 0, assembled, received, r.body().length);
            received += r.body().length;
        }
        assertThat(assembled).isEqualTo(firmware);
    }

    @Test
    void headReturnsTheHeadersAndNoBody() throws Exception {
        HttpResponse<byte[]> r = client.head(client.download(token));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("ETag")).isPresent();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void unknownTokenIs404WithAJsonBody() throws Exception {
        HttpResponse<byte[]> r = client.get(client.download("ota_AAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(new String(r.body())).contains("\"error\"");
    }

    private static void assertRange(String range, int first, int last) throws Exception {
        HttpResponse<byte[]> r = client.get(client.download(token), "Range", range);
        assertThat(r.statusCode()).as(range).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).as(range).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.body()).as(range).isEqualTo(Arrays.copyOfRange(firmware, first, last + 1));
    }
}
