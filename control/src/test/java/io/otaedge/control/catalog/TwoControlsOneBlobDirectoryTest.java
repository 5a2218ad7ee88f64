package io.otaedge.control.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.control.ControlHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two controls on one Redis and one blob directory (a ReadWriteMany volume behind two replicas),
 * uploads reaching both at once: every firmware record names bytes whose sha256 it carries, and
 * either control's blob origin serves exactly those bytes to an edge.
 */
class TwoControlsOneBlobDirectoryTest {

    private static final String SECRET = "two-controls-secret";
    private static final int SIZE = 2 << 20;
    private static ControlHarness a;
    private static ControlHarness b;
    private static String pid;

    @BeforeAll
    static void start() throws Exception {
        Path shared = Files.createTempDirectory("ota-shared-blobs-");
        a = new ControlHarness("OTA_INTERNAL_SECRET", SECRET, "OTA_BLOB_DIR", shared.toString());
        b = new ControlHarness("OTA_INTERNAL_SECRET", SECRET, "OTA_BLOB_DIR", shared.toString());
        pid = ControlHarness.uniqueId("shared");
        a.createProduct(pid);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void theSameBytesUploadedThroughBothControlsAtOnceAreOneBlobBothServeWhole() throws Exception {
        byte[] firmware = random(11);
        String sha = sha256(firmware);
        List<CompletableFuture<HttpResponse<String>>> uploads = List.of(
                upload(a, "2.0.1", firmware), upload(b, "2.0.2", firmware),
                upload(a, "2.0.3", firmware), upload(b, "2.0.4", firmware));

        for (CompletableFuture<HttpResponse<String>> u : uploads) {
            HttpResponse<String> r = u.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(ControlHarness.json(r).get("sha256").asText()).isEqualTo(sha);
        }
        assertThat(sha256(served(a, sha))).isEqualTo(sha);
        assertThat(sha256(served(b, sha))).isEqualTo(sha);
    }

    @Test
    void differentBytesForOneVersionThroughBothControlsAtOnceRecordOneWinnerWhoseBytesAreServed() throws Exception {
        byte[] first = random(12);
        byte[] second = random(13);
        CompletableFuture<HttpResponse<String>> ua = upload(a, "3.0.0", first);
        CompletableFuture<HttpResponse<String>> ub = upload(b, "3.0.0", second);
        HttpResponse<String> ra = ua.get();
        HttpResponse<String> rb = ub.get();

        assertThat(List.of(ra.statusCode(), rb.statusCode())).as(ra.body() + " / " + rb.body()).containsExactlyInAnyOrder(201, 409);
        HttpResponse<String> won = ra.statusCode() == 201 ? ra : rb;
        byte[] winner = won == ra ? first : second;
        JsonNode created = ControlHarness.json(won);
        // The record, as the other control reads it from Redis, names the winner's bytes.
        JsonNode record = ControlHarness.json(b.adminGet("/admin/v1/products/" + pid + "/firmwares/" + created.get("id").asText()));
        assertThat(record.get("sha256").asText()).isEqualTo(sha256(winner));
        assertThat(record.get("size").asLong()).isEqualTo(SIZE);
        assertThat(served(a, record.get("sha256").asText())).isEqualTo(winner);
        assertThat(served(b, record.get("sha256").asText())).isEqualTo(winner);
    }

    private static CompletableFuture<HttpResponse<String>> upload(ControlHarness control, String version, byte[] bytes) {
        return CompletableFuture.supplyAsync(() -> control.upload(pid, "version=" + version + "&fileName=fw.bin", bytes));
    }

    /** What an edge pulling the blob from this control gets. */
    private static byte[] served(ControlHarness control, String sha) {
        HttpResponse<byte[]> r = control.send(HttpRequest.newBuilder(control.admin(InternalBlobApi.path(sha)))
                .header(InternalBlobApi.SECRET_HEADER, SECRET).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static byte[] random(long seed) {
        byte[] bytes = new byte[SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
