package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.token.DownloadToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /ota/south/download/{token}: OneNET's lenient ranges and one-character errors. */
class OneNetDownloadTest {

    private static final int SIZE = 50_000;

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static byte[] firmware;
    private static BlobInfo blob;
    private static String token;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 5);
        blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "m5311.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static RawHttp.Response get(String target, String range) throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            return c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + (range == null ? "" : "Range: " + range + "\r\n")
                    + "\r\n").read();
        }
    }

    private static String south(String t) {
        return "/ota/south/download/" + t;
    }

    @Test
    void noRangeIs200WithTheWholeFile() throws Exception {
        RawHttp.Response r = get(south(token) + "?s_id=1212", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headerLines()).contains("Content-Length: " + SIZE,
                "Content-Disposition: attachment; filename=\"m5311.bin\"");
        assertThat(r.body()).isEqualTo(firmware);
    }

    /**
     * Both download paths a OneNET device may be handed end a 206 with Content-Range and name no other
     * {@code Range} before it: AT firmware (OneNET OTA demo {@code ota.c}, {@code OTA_Download_Range}) takes
     * the body from 4 bytes after the CRLF that follows the first {@code Range} in the answer.
     */
    @Test
    void aRangesFirstRangeTextIsTheLastHeaderLine() throws Exception {
        for (String target : new String[] {south(token), "/ota/download/" + token}) {
            RawHttp.Response r = get(target, "bytes=1024-1535");
            assertThat(r.status()).isEqualTo(206);
            List<String> lines = r.headerLines();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("Content-Range: bytes 1024-1535/" + SIZE);
            assertThat(lines.subList(0, lines.size() - 1)).noneMatch(line -> line.contains("Range"));
            assertThat(lines).contains("Content-Length: 512");
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 1024, 1536));
        }
    }

    @Test
    void bareRangeIs206WithContentRangeAndDisposition() throws Exception {
        RawHttp.Response r = get(south(token), "0-99");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.headerLines()).contains("Content-Range: bytes 0-99/" + SIZE, "Content-Length: 100",
                "Content-Disposition: attachment; filename=\"m5311.bin\"");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 100));
    }

    @Test
    void bytesUnitAndLeadingZerosAreAccepted() throws Exception {
        RawHttp.Response r = get(south(token), "bytes=01-02");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 1-2/" + SIZE);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 1, 3));
    }

    @Test
    void lenientClampingNeverGivesA416() throws Exception {
        RawHttp.Response pastEnd = get(south(token), SIZE + "-");
        assertThat(pastEnd.status()).isEqualTo(206);
        assertThat(pastEnd.header("Content-Range")).isEqualTo("bytes 0-" + (SIZE - 1) + "/" + SIZE);
        RawHttp.Response reversed = get(south(token), "500-10");
        assertThat(reversed.header("Content-Range")).isEqualTo("bytes 0-10/" + SIZE);
        RawHttp.Response clamped = get(south(token), "49990-99999");
        assertThat(clamped.body()).isEqualTo(Arrays.copyOfRange(firmware, 49_990, SIZE));
        RawHttp.Response suffix = get(south(token), "-100000");
        assertThat(suffix.body()).isEqualTo(firmware);
    }

    @Test
    void malformedRangeReturnsEverything() throws Exception {
        RawHttp.Response r = get(south(token), "bananas");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void unknownTokenIsCode3WithoutContentLengthAndTheConnectionCloses() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + south(DownloadToken.generate()) + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.headerLines()).contains("Connection: close");
            assertThat(r.bodyText()).isEqualTo("3");
        }
    }

    @Test
    void malformedTokenIsCode3() throws Exception {
        assertThat(get(south("bad"), null).bodyText()).isEqualTo("3");
    }

    @Test
    void malformedSidIsCode5() throws Exception {
        RawHttp.Response r = get(south(token) + "?s_id=%0d%0a", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).isEqualTo("5");
    }

    @Test
    void missingBlobIsCode1AndSizeMismatchCode2() throws Exception {
        BlobInfo other = edge.storeBlob(EdgeFixture.randomBytes(1000, 99));
        String t = edge.grant(other, "x.bin", Duration.ofMinutes(1));
        Path file = edge.blobs.pathOf(other.sha256());
        Files.write(file, new byte[10]);
        assertThat(get(south(t), null).bodyText()).isEqualTo("2");
        Files.delete(file);
        assertThat(get(south(t), null).bodyText()).isEqualTo("1");
    }

    @Test
    void otherMethodsAreCode5() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("PUT " + south(token) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.bodyText()).isEqualTo("5");
        }
    }

    @Test
    void standardPathGivesTheBareFormOneNetsLenientRules() throws Exception {
        RawHttp.Response bare = get("/ota/download/" + token, SIZE + "-");
        assertThat(bare.status()).isEqualTo(206);
        assertThat(bare.header("Content-Range")).isEqualTo("bytes 0-" + (SIZE - 1) + "/" + SIZE);
        RawHttp.Response rfc = get("/ota/download/" + token, "bytes=" + SIZE + "-");
        assertThat(rfc.status()).isEqualTo(416);
    }
}
