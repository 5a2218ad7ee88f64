package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.0, keep-alive, pipelining, 405/414/431, bodies on GET, the digests on every answer. */
class ProtocolTest {

    private static final int SIZE = 100_000;

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static byte[] firmware;
    private static BlobInfo blob;
    private static String token;
    private static String path;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 11);
        blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
        path = "/ota/download/" + token;
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    @Test
    void http10WithoutKeepAliveGetsTheFileAndAClose() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headerLines()).contains("Connection: close", "Content-Length: " + SIZE);
            assertThat(r.body()).isEqualTo(firmware);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10AskingForKeepAliveKeepsTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.0\r\nConnection: Keep-Alive\r\nRange: bytes=0-9\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.headerLines()).contains("Connection: keep-alive");
            RawHttp.Response again = c.send("GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\nRange: bytes=10-19\r\n\r\n").read();
            assertThat(again.body()).isEqualTo(Arrays.copyOfRange(firmware, 10, 20));
        }
    }

    @Test
    void http11ConnectionCloseIsHonoured() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: Close\r\nRange: bytes=0-0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.headerLines()).contains("Connection: close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String unknown = "/ota/download/ota_" + "x".repeat(22);
        try (RawHttp c = new RawHttp(edge.port())) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n"
                    + "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + unknown + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=-5\r\n\r\n");
            RawHttp.Response first = c.read();
            RawHttp.Response head = c.read(true);
            RawHttp.Response missing = c.read();
            RawHttp.Response last = c.read();
            assertThat(first.body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 10));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(last.body()).isEqualTo(Arrays.copyOfRange(firmware, SIZE - 5, SIZE));
        }
    }

    @Test
    void headAnswersStayBodilessAmidPipelinedDownloads() throws Exception {
        // Downloads leave with a head the edge encodes itself, errors with one Netty encodes: the
        // codec must still know which answer belongs to a HEAD, or a 404 body would desync the connection.
        String unknown = "/ota/download/ota_" + "y".repeat(22);
        try (RawHttp c = new RawHttp(edge.port())) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n"
                    + "HEAD " + unknown + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n"
                    + "GET " + unknown + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=20-29\r\n\r\n");
            assertThat(c.read().body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 10));
            RawHttp.Response missingHead = c.read(true);
            assertThat(missingHead.status()).isEqualTo(404);
            assertThat(missingHead.header("Content-Length")).isNotEqualTo("0");
            RawHttp.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(SIZE));
            RawHttp.Response missing = c.read();
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).contains("\"error\"");
            assertThat(c.read().body()).isEqualTo(Arrays.copyOfRange(firmware, 20, 30));
        }
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.headerLines()).contains("Allow: GET, HEAD");
            assertThat(r.bodyText()).contains("\"error\":\"method_not_allowed\"");
            // The POST's body was consumed by the framing: the next request on the connection works.
            RawHttp.Response next = c.send("DELETE " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(405);
        }
    }

    @Test
    void getWithABodyDoesNotDesyncTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            String fakeRequest = "GET /evil HTTP/1.1\r\n\r\n";
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\nContent-Length: " + fakeRequest.length()
                    + "\r\n\r\n" + fakeRequest
                    + "GET " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nRange: bytes=4-7\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n"
                    + "GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=8-9\r\n\r\n");
            assertThat(c.read().body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 4));
            assertThat(c.read().body()).isEqualTo(Arrays.copyOfRange(firmware, 4, 8));
            assertThat(c.read().body()).isEqualTo(Arrays.copyOfRange(firmware, 8, 10));
        }
    }

    @Test
    void oversizedRequestLineIs414AndTheConnectionCloses() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET /ota/download/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(414);
            assertThat(r.headerLines()).contains("Connection: close");
            assertThat(r.bodyText()).contains("\"error\":\"uri_too_long\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedHeadersAre431AndTheConnectionCloses() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.bodyText()).contains("\"error\":\"headers_too_large\"");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void garbageIs400() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void theEtagAndTheMd5AreTheWholeFirmwaresDigestsOnEveryAnswer() throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(firmware));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(firmware));
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response full = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Response part = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=5-6\r\n\r\n").read();
            for (RawHttp.Response r : List.of(full, part)) {
                assertThat(r.headerLines()).contains("ETag: \"" + sha256 + "\"", "X-Firmware-MD5: " + md5)
                        .noneMatch(l -> l.startsWith("Repr-Digest"));
            }
        }
    }

    @Test
    void noRangeMeans200WithContentLengthNeverChunked() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headerLines()).contains("Content-Length: " + SIZE).noneMatch(l -> l.startsWith("Transfer-Encoding"));
        }
    }

    @Test
    void absoluteFormRequestTargetIsServed() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            RawHttp.Response r = c.send("GET http://edge.example:8080" + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(206);
        }
    }
}
