package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Last-Modified, If-Range (tag and date), If-None-Match / If-Modified-Since → 304, If-Match → 412. */
class ConditionalTest {

    private static final int SIZE = 64 * 1024;
    private static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    private static final String MTIME_HTTP = "Tue, 02 Jan 2024 03:04:05 GMT";

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static byte[] firmware;
    private static BlobInfo blob;
    private static String token;
    private static String etag;

    @BeforeAll
    static void start() throws Exception {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 3);
        blob = edge.storeBlob(firmware);
        Files.setLastModifiedTime(edge.blobs.pathOf(blob.sha256()), FileTime.from(MTIME.plusMillis(700)));
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
        etag = "\"" + blob.sha256() + "\"";
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static RawHttp.Response get(String... headers) throws Exception {
        StringBuilder sb = new StringBuilder("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        try (RawHttp c = new RawHttp(edge.port())) {
            return c.send(sb.append("\r\n").toString()).read();
        }
    }

    @Test
    void lastModifiedIsTheBlobFilesMtime() throws Exception {
        assertThat(get().header("Last-Modified")).isEqualTo(MTIME_HTTP);
    }

    @Test
    void ifRangeWithTheCurrentEtagHonoursTheRange() throws Exception {
        RawHttp.Response r = get("Range: bytes=10-19", "If-Range: " + etag);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 10, 20));
    }

    @Test
    void ifRangeWithAnotherEtagSendsTheWholeFile() throws Exception {
        RawHttp.Response r = get("Range: bytes=10-19", "If-Range: \"" + "0".repeat(64) + "\"");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void ifRangeWithAWeakEtagNeverMatches() throws Exception {
        assertThat(get("Range: bytes=10-19", "If-Range: W/" + etag).status()).isEqualTo(200);
    }

    @Test
    void ifRangeWithTheLastModifiedDateHonoursTheRange() throws Exception {
        RawHttp.Response r = get("Range: bytes=10-19", "If-Range: " + MTIME_HTTP);
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 10, 20));
    }

    @Test
    void ifRangeWithAnotherDateSendsTheWholeFile() throws Exception {
        assertThat(get("Range: bytes=10-19", "If-Range: Tue, 02 Jan 2024 03:04:04 GMT").status()).isEqualTo(200);
        assertThat(get("Range: bytes=10-19", "If-Range: not a date").status()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchWithTheEtagIs304WithValidatorsAndNoBody() throws Exception {
        RawHttp.Response r = get("If-None-Match: \"other\", " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.header("Last-Modified")).isEqualTo(MTIME_HTTP);
        assertThat(r.header("Content-Length")).isNull();
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsAStar() throws Exception {
        assertThat(get("If-None-Match: W/" + etag).status()).isEqualTo(304);
        assertThat(get("If-None-Match: *").status()).isEqualTo(304);
        assertThat(get("If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() throws Exception {
        assertThat(get("If-None-Match: \"other\"", "If-Modified-Since: " + MTIME_HTTP).status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceAtOrAfterLastModifiedIs304() throws Exception {
        assertThat(get("If-Modified-Since: " + MTIME_HTTP).status()).isEqualTo(304);
        assertThat(get("If-Modified-Since: Wed, 03 Jan 2024 00:00:00 GMT").status()).isEqualTo(304);
    }

    @Test
    void ifModifiedSinceBeforeLastModifiedOrInvalidSendsTheFile() throws Exception {
        assertThat(get("If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT").status()).isEqualTo(200);
        assertThat(get("If-Modified-Since: yesterday").status()).isEqualTo(200);
    }

    @Test
    void ifMatchWithAnotherEtagIs412() throws Exception {
        assertThat(get("If-Match: \"other\"").status()).isEqualTo(412);
        assertThat(get("If-Match: " + etag).status()).isEqualTo(200);
        assertThat(get("If-Match: W/" + etag).status()).isEqualTo(412);
    }

    @Test
    void ifUnmodifiedSinceBeforeLastModifiedIs412() throws Exception {
        assertThat(get("If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT").status()).isEqualTo(412);
        assertThat(get("If-Unmodified-Since: " + MTIME_HTTP).status()).isEqualTo(200);
    }
}
