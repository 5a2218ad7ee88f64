package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several ranges → 206 multipart/byteranges, parsed back and compared byte for byte. */
class MultiRangeTest {

    private static final int SIZE = 1024 * 1024;

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static byte[] firmware;
    private static String token;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 7);
        BlobInfo blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    private static RawHttp.Response get(String range) throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            return c.send("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nRange: " + range + "\r\n\r\n").read();
        }
    }

    @Test
    void severalRangesComeBackAsMultipartByteRanges() throws Exception {
        RawHttp.Response r = get("bytes=0-99, 500000-500999, -10");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isNull();
        assertThat(Long.parseLong(r.header("Content-Length"))).isEqualTo(r.body().length);
        List<Part> parts = parse(r);
        assertThat(parts).extracting(Part::contentRange).containsExactly(
                "bytes 0-99/" + SIZE, "bytes 500000-500999/" + SIZE, "bytes " + (SIZE - 10) + "-" + (SIZE - 1) + "/" + SIZE);
        assertSlices(parts);
    }

    @Test
    void partsAreSortedAndOverlappingRangesCoalesced() throws Exception {
        RawHttp.Response r = get("bytes=900000-900099, 1000-1999, 1500-2999, 3000-3999");
        List<Part> parts = parse(r);
        assertThat(parts).extracting(Part::contentRange)
                .containsExactly("bytes 1000-3999/" + SIZE, "bytes 900000-900099/" + SIZE);
        assertSlices(parts);
    }

    @Test
    void rangesCoalescingIntoOneGiveAPlainSingleRange() throws Exception {
        RawHttp.Response r = get("bytes=0-99,100-199,50-150");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-199/" + SIZE);
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(firmware, 0, 200));
    }

    @Test
    void tooManyPartsAreServedAsTheWholeFile() throws Exception {
        StringBuilder sb = new StringBuilder("bytes=");
        for (int i = 0; i < 17; i++) {
            sb.append(i * 10_000).append('-').append(i * 10_000 + 1).append(',');
        }
        RawHttp.Response r = get(sb.toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(firmware);
    }

    @Test
    void unsatisfiableMembersAreLeftOut() throws Exception {
        RawHttp.Response r = get("bytes=0-9, " + (SIZE + 5) + "-, 200000-200009");
        List<Part> parts = parse(r);
        assertThat(parts).hasSize(2);
        assertSlices(parts);
    }

    private static void assertSlices(List<Part> parts) {
        for (Part p : parts) {
            Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/" + SIZE).matcher(p.contentRange());
            assertThat(m.matches()).isTrue();
            int first = Integer.parseInt(m.group(1));
            int last = Integer.parseInt(m.group(2));
            assertThat(p.contentType()).isEqualTo("application/octet-stream");
            assertThat(p.data()).isEqualTo(Arrays.copyOfRange(firmware, first, last + 1));
        }
    }

    record Part(String contentType, String contentRange, byte[] data) {
    }

    /** A strict reader of RFC 2046 multipart bodies: delimiters, part headers, data. */
    static List<Part> parse(RawHttp.Response r) {
        String ct = r.header("Content-Type");
        assertThat(ct).startsWith("multipart/byteranges; boundary=");
        byte[] body = r.body();
        byte[] delimiter = ("--" + ct.substring(ct.indexOf('=') + 1)).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int pos = indexOf(body, delimiter, 0);
        assertThat(pos).isZero();
        while (true) {
            pos += delimiter.length;
            if (body[pos] == '-' && body[pos + 1] == '-') {
                assertThat(new String(body, pos, body.length - pos, StandardCharsets.US_ASCII)).isEqualTo("--\r\n");
                return parts;
            }
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), pos);
            String[] lines = new String(body, pos + 2, headEnd - pos - 2, StandardCharsets.US_ASCII).split("\r\n");
            String type = null;
            String range = null;
            for (String line : lines) {
                if (line.startsWith("Content-Type: ")) {
                    type = line.substring(14);
                } else if (line.startsWith("Content-Range: ")) {
                    range = line.substring(15);
                }
            }
            int dataStart = headEnd + 4;
            byte[] next = new byte[delimiter.length + 2];
            next[0] = '\r';
            next[1] = '\n';
            System.arraycopy(delimiter, 0, next, 2, delimiter.length);
            int dataEnd = indexOf(body, next, dataStart);
            parts.add(new Part(type, range, Arrays.copyOfRange(body, dataStart, dataEnd)));
            pos = dataEnd + 2;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
