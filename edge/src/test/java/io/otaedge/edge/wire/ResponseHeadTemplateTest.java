package io.otaedge.edge.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.exchange.Disposition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.otaedge.edge.range.ByteRange;
import io.otaedge.edge.range.HttpDates;
import io.otaedge.edge.download.Representation;

/**
 * The pre-encoded heads are byte for byte what Netty's encoder wrote for the same answers when
 * they were built as {@code HttpResponse}s ({@link Responses#head}, then Content-Type, Content-Length
 * and {@link Representation#addAll}; a 206 without Accept-Ranges and with Content-Range last), for
 * every connection disposition, 200 and 206, range edges, sizes past 2 GiB and file names that need
 * quoting or RFC 8187 encoding.
 */
class ResponseHeadTemplateTest {

    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String MD5 = "098f6bcd4621d373cade4e832627b4f6";
    private static final List<String> FILE_NAMES = List.of("fw.bin", "a \"quoted\" \\ name.bin", "прошивка v2.bin",
            "dir/sub/../x.bin", "");
    private static final long[] SIZES = {0, 1, 1024, 4 * 1024 * 1024, 5_000_000_000L};

    @Test
    void okHeadsEqualNettysEncoding() {
        int compared = 0;
        for (Representation rep : representations()) {
            for (Disposition connection : Disposition.values()) {
                for (long size : SIZES) {
                    HttpResponse reference = Responses.head(HttpResponseStatus.OK, connection);
                    HttpHeaders h = reference.headers();
                    h.set(WireHeaders.CONTENT_TYPE, WireHeaders.OCTET_STREAM);
                    h.set(WireHeaders.CONTENT_LENGTH, size);
                    rep.addAll(h);
                    String expected = nettyEncoded(reference);

                    ByteBuf head = rep.head().ok(ByteBufAllocator.DEFAULT, date(reference), connection, size, 0);
                    assertThat(text(head)).isEqualTo(expected);
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(FILE_NAMES.size() * Disposition.values().length * SIZES.length);
    }

    @Test
    void partialHeadsEqualNettysEncoding() {
        int compared = 0;
        for (Representation rep : representations()) {
            for (Disposition connection : Disposition.values()) {
                for (long size : SIZES) {
                    for (ByteRange r : rangesOf(size)) {
                        HttpResponse reference = Responses.head(HttpResponseStatus.PARTIAL_CONTENT, connection);
                        HttpHeaders h = reference.headers();
                        h.set(WireHeaders.CONTENT_TYPE, WireHeaders.OCTET_STREAM);
                        h.set(WireHeaders.CONTENT_LENGTH, r.length());
                        rep.addAll(h);
                        h.remove(WireHeaders.ACCEPT_RANGES);
                        h.set(WireHeaders.CONTENT_RANGE, r.contentRange(size));
                        String expected = nettyEncoded(reference);

                        ByteBuf head = rep.head().partial(ByteBufAllocator.DEFAULT, date(reference), connection, r, size,
                                0);
                        assertThat(text(head)).isEqualTo(expected);
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(100);
    }

    @Test
    void headsAreCanonicalCaseAndEndWithOneBlankLine() {
        Representation rep = representations().get(0);
        ByteBuf head = rep.head().partial(ByteBufAllocator.DEFAULT, HttpDates.now(), Disposition.KEEP_ALIVE,
                new ByteRange(10, 19), 100, 10);
        assertThat(head.writableBytes()).isGreaterThanOrEqualTo(10);
        String text = text(head);
        assertThat(text).startsWith("HTTP/1.1 206 Partial Content\r\nDate: ")
                .contains("\r\nContent-Length: 10\r\n", "\r\nContent-Range: bytes 10-19/100\r\n",
                        "\r\nContent-Type: application/octet-stream\r\n", "\r\nETag: \"" + SHA256 + "\"\r\n",
                        "\r\nX-Firmware-MD5: " + MD5 + "\r\n")
                .doesNotContain("Connection")
                .endsWith("\r\nContent-Range: bytes 10-19/100\r\n\r\n");
        assertThat(text.indexOf("\r\n\r\n")).isEqualTo(text.length() - 4);
    }

    /**
     * OneNET's AT-command firmware (OneNET OTA demo {@code ota.c}, {@code OTA_Download_Range}) finds a 206's
     * body with {@code strstr(answer, "Range")}, then the next CRLF, then 4 bytes on: only a head whose first
     * {@code Range} is in its last line leads it to the body.
     */
    @Test
    void aPartialHeadsFirstRangeIsInItsLastLine() {
        for (Representation rep : representations()) {
            for (Disposition connection : Disposition.values()) {
                String text = text(rep.head().partial(ByteBufAllocator.DEFAULT, HttpDates.now(), connection,
                        new ByteRange(512, 1023), 4096, 0));
                int range = text.indexOf("Range");
                int body = text.indexOf("\r\n", range) + 4;
                assertThat(text.substring(text.lastIndexOf("\r\n", range) + 2, range)).isEqualTo("Content-");
                assertThat(body).isEqualTo(text.length());
                assertThat(text).contains("\r\nContent-Length: 512\r\n").doesNotContain("Accept-Ranges");
            }
        }
    }

    /**
     * Aliyun's Living SDK ({@code framework/uOTA/src/download/ota_download_http.c}) reads 512 bytes at a time
     * and looks for the blank line inside one read, so the whole head must fit the first; its Link SDK 4.x
     * ({@code core/utils/core_http.c}) fails a download on a header line over 126 characters. Worst cases:
     * the longest file names, sizes past 4 GiB, both dispositions.
     */
    @Test
    void everyHeadFitsTheSmallestDeviceBuffers() {
        List<String> longNames = List.of("f".repeat(124) + ".bin", "固".repeat(120) + ".bin", "\"".repeat(128), "fw.bin");
        for (String name : longNames) {
            TokenGrant g = new TokenGrant("ota_x", "p1", "fw-1", SHA256, MD5, 9_999_999_999L, name, "1.0.0", "dev-1",
                    "task-1", 0, 1);
            Representation rep = new Representation(g, 1_700_000_123_456L);
            for (Disposition connection : Disposition.values()) {
                List<String> heads = List.of(
                        text(rep.head().ok(ByteBufAllocator.DEFAULT, HttpDates.now(), connection, 9_999_999_999L, 0)),
                        text(rep.head().partial(ByteBufAllocator.DEFAULT, HttpDates.now(), connection,
                                new ByteRange(1_000_000_000L, 9_999_999_998L), 9_999_999_999L, 0)));
                for (String head : heads) {
                    assertThat(head.length()).as(head).isLessThanOrEqualTo(508);
                    for (String line : head.split("\r\n")) {
                        assertThat(line.length()).as(line).isLessThanOrEqualTo(126);
                    }
                }
            }
        }
    }

    @Test
    void decimalsAreWrittenWithoutLeadingZeros() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(1);
        try {
            for (long v : new long[] {0, 7, 10, 99, 100, 1_000_000_007L, Long.MAX_VALUE}) {
                buf.clear();
                ResponseHeadTemplate.writeDecimal(buf, v);
                assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
            }
        } finally {
            buf.release();
        }
    }

    private static List<Representation> representations() {
        List<Representation> reps = new ArrayList<>();
        for (String name : FILE_NAMES) {
            TokenGrant g = new TokenGrant("ota_x", "p1", "fw-1", SHA256, MD5, 1024, name, "1.0.0", "dev-1", "task-1",
                    0, 1);
            reps.add(new Representation(g, 1_700_000_123_456L));
        }
        return reps;
    }

    private static List<ByteRange> rangesOf(long size) {
        if (size == 0) {
            return List.of();
        }
        return List.of(new ByteRange(0, 0), new ByteRange(0, size - 1), new ByteRange(size - 1, size - 1),
                new ByteRange(size / 2, size - 1), new ByteRange(0, Math.min(size - 1, 1023)));
    }

    /** The Date the reference got, so that a second ticking over between the two cannot differ. */
    private static AsciiString date(HttpResponse reference) {
        return AsciiString.of(reference.headers().get(WireHeaders.DATE));
    }

    private static String nettyEncoded(HttpResponse response) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        try {
            ch.writeOutbound(response);
            ByteBuf out = ch.readOutbound();
            try {
                return out.toString(StandardCharsets.US_ASCII);
            } finally {
                out.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static String text(ByteBuf head) {
        try {
            return head.toString(StandardCharsets.US_ASCII);
        } finally {
            head.release();
        }
    }
}
