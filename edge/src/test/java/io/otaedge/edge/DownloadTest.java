package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.token.DownloadToken;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET|HEAD /ota/download/<token> against a real Redis, a real blob store and real sockets. */
class DownloadTest {

    private static final int SIZE = 3 * 1024 * 1024 + 123;
    private static final String NOT_FOUND_BODY = "{\"error\":\"not_found\",\"message\":\"unknown or expired download token\"}";

    @TempDir
    static Path dir;

    private static EdgeFixture edge;
    private static byte[] firmware;
    private static BlobInfo blob;
    private static String token;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 42);
        blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "fw-1.2.0.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.uri(path)).timeout(Duration.ofSeconds(10));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void fullGetReturnsTheWholeFirmwareWithItsHeaders() throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/" + token, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
        assertThat(md5(r.body())).isEqualTo(blob.md5());
        var h = r.headers();
        assertThat(h.firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(h.firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(h.firstValue("ETag")).hasValue("\"" + blob.sha256() + "\"");
        assertThat(h.firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(h.firstValue("X-Firmware-MD5")).hasValue(blob.md5());
        assertThat(h.firstValue("Content-Disposition")).hasValue("attachment; filename=\"fw-1.2.0.bin\"");
        assertThat(h.firstValue("Transfer-Encoding")).isEmpty();
        assertThat(h.firstValue("Content-Range")).isEmpty();
    }

    @Test
    void headReturnsTheHeadersAndNoBody() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(edge.uri("/ota/download/" + token))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(r.headers().firstValue("ETag")).hasValue("\"" + blob.sha256() + "\"");
        assertThat(r.headers().firstValue("X-Firmware-MD5")).hasValue(blob.md5());
    }

    @Test
    void firstByteRange() throws Exception {
        assertRange("bytes=0-0", 0, 0);
    }

    @Test
    void rangesAroundEachBodyPathArriveIntact() throws Exception {
        // Copied into the head's buffer up to 8 KiB, a slice of the file's map up to 64 KiB, sendfile beyond.
        for (int length : new int[] {1024, 8 * 1024, 8 * 1024 + 1, 64 * 1024, 64 * 1024 + 1}) {
            assertRange("bytes=12345-" + (12345 + length - 1), 12345, 12345 + length - 1);
        }
    }

    @Test
    void middleRange() throws Exception {
        assertRange("bytes=1000000-1999999", 1_000_000, 1_999_999);
    }

    @Test
    void suffixRange() throws Exception {
        assertRange("bytes=-4096", SIZE - 4096, SIZE - 1);
    }

    @Test
    void lastByteRange() throws Exception {
        assertRange("bytes=" + (SIZE - 1) + "-", SIZE - 1, SIZE - 1);
    }

    @Test
    void openRangeFromZeroIsAnsweredAsARange() throws Exception {
        assertRange("bytes=0-", 0, SIZE - 1);
    }

    @Test
    void lastPosPastTheEndIsClamped() throws Exception {
        assertRange("bytes=" + (SIZE - 10) + "-" + (SIZE + 1000), SIZE - 10, SIZE - 1);
    }

    @Test
    void bareRangeFormWithoutUnit() throws Exception {
        assertRange("100-199", 100, 199);
    }

    @Test
    void rangePastTheEndIs416WithTheSize() throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/" + token, "bytes=" + SIZE + "-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
    }

    @Test
    void invalidRangeIsIgnored() throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/" + token, "bytes=5-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void malformedTokenIs404WithJson() throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/not-a-token", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(new String(r.body())).isEqualTo(NOT_FOUND_BODY);
    }

    @Test
    void unknownTokenIs404WithTheSameJson() throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/" + DownloadToken.generate(), null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body())).isEqualTo(NOT_FOUND_BODY);
    }

    @Test
    void revokedTokenIs404WithinTheLocalCacheBound() throws Exception {
        String t = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
        assertThat(get("/ota/download/" + t, "bytes=0-0").statusCode()).isEqualTo(206);
        edge.tokens.revoke(t).toCompletableFuture().join();
        // The edge may trust its local cache for OTA_EDGE_TOKEN_CACHE_TTL (2 s by default), never longer.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        HttpResponse<byte[]> r;
        do {
            r = get("/ota/download/" + t, null);
        } while (r.statusCode() != 404 && System.nanoTime() < deadline);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body())).isEqualTo(NOT_FOUND_BODY);
    }

    @Test
    void otherPathsAre404() throws Exception {
        assertThat(get("/", null).statusCode()).isEqualTo(404);
        assertThat(get("/ota/other/" + token, null).statusCode()).isEqualTo(404);
    }

    @Test
    void tokenStopsWorkingAfterItExpires() throws Exception {
        String t = edge.grant(blob, "fw.bin", Duration.ofMillis(1500));
        assertThat(get("/ota/download/" + t, "bytes=0-9").statusCode()).isEqualTo(206);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = get("/ota/download/" + t, "bytes=0-9").statusCode();
        } while (status != 404 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(404);
    }

    @Test
    void headerNamesAreCanonicalOnTheWire() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n").read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 206 Partial Content");
            assertThat(r.headerLines()).contains(
                    "Content-Length: 10",
                    "Content-Range: bytes 0-9/" + SIZE,
                    "Content-Type: application/octet-stream",
                    "ETag: \"" + blob.sha256() + "\"",
                    "X-Firmware-MD5: " + blob.md5(),
                    "Content-Disposition: attachment; filename=\"fw-1.2.0.bin\"");
            assertThat(r.headerLines()).allSatisfy(line -> assertThat(line).matches("([A-Z][a-z0-9]*|MD5|ETag)(-([A-Z][a-z0-9]*|MD5|ETag))*: .*"));
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 10));

            RawHttp.Response nf = c.send("GET /ota/download/nope HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(nf.status()).isEqualTo(404);
            assertThat(nf.headerLines()).contains("Content-Type: application/json; charset=utf-8",
                    "Content-Length: " + NOT_FOUND_BODY.length());
        }
    }

    private static void assertRange(String range, long first, long last) throws Exception {
        HttpResponse<byte[]> r = get("/ota/download/" + token, range);
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Long.toString(last - first + 1));
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, (int) first, (int) last + 1));
    }

}
