package io.otaedge.edge.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.token.DownloadToken;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.grant.GrantSource;
import io.otaedge.edge.grant.GrantedBlobs;
import io.otaedge.edge.grant.LuatosGrants;
import io.otaedge.edge.grant.TokenGrants;
import io.otaedge.edge.luatos.LuatosDecision;
import io.otaedge.edge.luatos.LuatosDecisions;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.pipeline.KeepAliveHandler;
import io.otaedge.edge.token.TokenResolver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.otaedge.edge.wire.EdgeServerCodec;
import io.otaedge.edge.route.DeviceApi;
import io.otaedge.edge.route.Route;

/**
 * The download handler alone on an {@link EmbeddedChannel} (behind the edge's codec): a Range with an
 * If-Range no validator parser accepts is ignored, never an exception; and an exception inside any of a
 * request's event-loop work ends in a 500 with a fixed body (or, once the response went out, a close),
 * never in a connection left waiting. Before the fix, an If-Range of 65 characters made Netty's date
 * parser throw inside the lookup's continuation and the connection got nothing, ever.
 */
class DownloadHandlerGuardTest {

    static final int SIZE = 1000;
    static final String LONG_IF_RANGE = "x".repeat(65);
    /** A resolver breaking its contract (null, not an Optional): the lookup's continuation throws. */
    static final TokenResolver BROKEN = token -> CompletableFuture.completedFuture(null);

    @TempDir
    Path dir;

    BlobStore blobs;
    OpenBlobCache files;
    byte[] firmware;
    TokenGrant grant;
    EdgeMetrics metrics;
    EmbeddedChannel ch;

    @BeforeEach
    void blob() throws Exception {
        blobs = new BlobStore(dir.resolve("blobs"));
        files = new OpenBlobCache(Duration.ofSeconds(1), 8);
        firmware = new byte[SIZE];
        new Random(5).nextBytes(firmware);
        BlobInfo b;
        try (BlobWriter w = blobs.newWriter(Long.MAX_VALUE)) {
            w.write(ByteBuffer.wrap(firmware));
            b = w.commit();
        }
        long now = System.currentTimeMillis();
        grant = new TokenGrant(DownloadToken.generate(), "p1", "fw-1", b.sha256(), b.md5(), b.size(), "fw.bin", "1.2.0",
                "dev-1", "task-1", now, now + 60_000);
        metrics = new EdgeMetrics(new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        files.close();
    }

    DownloadContext context(TokenResolver tokens, ServedBytesListener served, LuatosDecisions luatos) {
        return context(tokens, served, luatos, null);
    }

    DownloadContext context(TokenResolver tokens, ServedBytesListener served, LuatosDecisions luatos, DeviceApi api) {
        GrantedBlobs granted = new GrantedBlobs(blobs, files, null);
        GrantSource grants = GrantSource.byRoute(new TokenGrants(tokens, granted),
                luatos == null ? null : new LuatosGrants(luatos, granted, metrics));
        return new DownloadContext(grants, luatos == null ? null : Route.LUATOS_PATH, api, metrics, served, 7, 8, false);
    }

    EmbeddedChannel channel(DownloadContext context) {
        ch = new EmbeddedChannel(new EdgeServerCodec(new HttpDecoderConfig()), new KeepAliveHandler(() -> false),
                new DownloadHandler(context));
        return ch;
    }

    EmbeddedChannel channel(TokenResolver tokens) {
        return channel(context(tokens, ServedBytesListener.NONE, null));
    }

    TokenResolver found(TokenGrant g) {
        return token -> CompletableFuture.completedFuture(token.equals(g.token()) ? Optional.of(g) : Optional.empty());
    }

    void receive(String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
    }

    String download(String path, String... headers) {
        StringBuilder b = new StringBuilder("GET ").append(path).append(grant.token()).append(" HTTP/1.1\r\nHost: edge\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /** Everything written so far, as bytes. */
    byte[] sent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    static String head(byte[] response) {
        String all = new String(response, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        return end < 0 ? all : all.substring(0, end + 2);
    }

    static byte[] body(byte[] response) {
        String all = new String(response, StandardCharsets.ISO_8859_1);
        return Arrays.copyOfRange(response, all.indexOf("\r\n\r\n") + 4, response.length);
    }

    @Test
    void aRangeWithALongIfRangeIsIgnoredAndTheWholeFirmwareSent() {
        channel(found(grant));
        for (String ifRange : new String[] {LONG_IF_RANGE, "Tue, 02 Jan 2024 03:04:05 GMT" + " ".repeat(40) + "x",
                "\"" + "a".repeat(4000), "W/" + "\"x\"".repeat(100)}) {
            receive(download("/ota/download/", "Range: bytes=0-9", "If-Range: " + ifRange));
            byte[] r = sent();
            assertThat(head(r)).as(ifRange).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + SIZE + "\r\n");
            assertThat(body(r)).as(ifRange).isEqualTo(firmware);
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(metrics.registry().get("ota.edge.internal.errors").counter().count()).isZero();
    }

    @Test
    void longDatesInTheOtherConditionalFieldsAreNotDatesEither() {
        channel(found(grant));
        String garbage = "Tue, 02 Jan 2024 03:04:05 GMT" + "-".repeat(100);
        receive(download("/ota/download/", "If-Modified-Since: " + garbage));
        assertThat(head(sent())).startsWith("HTTP/1.1 200 ");
        receive(download("/ota/download/", "If-Unmodified-Since: " + garbage));
        assertThat(head(sent())).startsWith("HTTP/1.1 200 ");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aLookupThatCompletesLaterIsAnsweredTheSame() {
        CompletableFuture<Optional<TokenGrant>> later = new CompletableFuture<>();
        channel(token -> later);
        receive(download("/ota/download/", "Range: bytes=0-9", "If-Range: " + LONG_IF_RANGE));
        assertThat(sent()).isEmpty();
        later.complete(Optional.of(grant));
        ch.runPendingTasks();
        byte[] r = sent();
        assertThat(head(r)).startsWith("HTTP/1.1 200 ");
        assertThat(body(r)).isEqualTo(firmware);
    }

    @Test
    void anExceptionWhileServingIsA500WithAFixedBodyAndTheConnectionCloses() {
        channel(BROKEN);
        receive(download("/ota/download/"));
        String r = new String(sent(), StandardCharsets.UTF_8);
        assertThat(r).startsWith("HTTP/1.1 500 ").contains("Connection: close\r\n")
                .endsWith("{\"error\":\"internal_error\",\"message\":\"the edge failed to answer this request\"}")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(head(r.getBytes(StandardCharsets.ISO_8859_1))).doesNotContain("Retry-After");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.registry().get("ota.edge.internal.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void onOneNetsPathTheSameIsItsOneByteError() {
        channel(BROKEN);
        receive(download("/ota/south/download/"));
        byte[] r = sent();
        assertThat(head(r)).startsWith("HTTP/1.1 500 ").doesNotContain("Content-Length").doesNotContain("Retry-After");
        assertThat(new String(body(r), StandardCharsets.US_ASCII)).isEqualTo("4");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anExceptionAfterTheResponseWentOutClosesTheConnection() {
        ServedBytesListener failing = (g, bytes, end) -> {
            throw new IllegalStateException("progress accounting failed");
        };
        channel(context(found(grant), failing, null));
        // Two pipelined requests: the first is answered whole, then the connection closes.
        receive(download("/ota/download/") + download("/ota/download/"));
        byte[] r = sent();
        assertThat(head(r)).startsWith("HTTP/1.1 200 ");
        assertThat(body(r)).isEqualTo(firmware);
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.registry().get("ota.edge.internal.errors").counter().count()).isEqualTo(1);
    }

    @Test
    void aDeviceApiThatFailsInsteadOfAnsweringIs500() {
        DeviceApi broken = (request, body, requester) -> CompletableFuture.failedFuture(new IllegalStateException("bug"));
        channel(context(found(grant), ServedBytesListener.NONE, null, broken));
        receive("GET /ota/south/check?dev_id=1 HTTP/1.1\r\nHost: edge\r\n\r\n");
        assertThat(new String(sent(), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 500 ").contains("internal_error");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aDeviceApiReplyControlRefusedIsCountedAndPassedOn() {
        byte[] errno7 = "{\"errno\":7,\"error\":\"internal error\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        DeviceApi refused = (request, body, requester) -> CompletableFuture.completedFuture(
                new DeviceApi.Reply(200, "application/json", errno7).misconfigured("fix the URL"));
        channel(context(found(grant), ServedBytesListener.NONE, null, refused));
        receive("GET /ota/south/check?dev_id=1 HTTP/1.1\r\nHost: edge\r\n\r\n");
        byte[] r = sent();
        assertThat(head(r)).startsWith("HTTP/1.1 200 ");
        assertThat(body(r)).isEqualTo(errno7);
        assertThat(ch.isOpen()).isTrue();
        assertThat(metrics.registry().get("ota.edge.control.refusals").tag("call", "onenet").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aLuatosDecisionControlRefusedIs500WithoutRetryAfterAndCounted() {
        LuatosDecisions refused = (query, resumeFrom, requester) ->
                CompletableFuture.completedFuture(new LuatosDecision.Misconfigured(401, "set the same secret"));
        channel(context(found(grant), ServedBytesListener.NONE, refused));
        receive("GET /api/site/firmware_upgrade?imei=1 HTTP/1.1\r\nHost: edge\r\nConnection: Close\r\n\r\n");
        String r = new String(sent(), StandardCharsets.UTF_8);
        assertThat(r).startsWith("HTTP/1.1 500 ").doesNotContain("Retry-After").contains("\"misconfigured\"");
        assertThat(metrics.registry().get("ota.edge.control.refusals").tag("call", "luatos").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aLuatosDecisionThatFailsIsStill503WithRetryAfter() {
        LuatosDecisions down = (query, resumeFrom, requester) ->
                CompletableFuture.failedFuture(new java.io.IOException("control answered 502"));
        channel(context(found(grant), ServedBytesListener.NONE, down));
        receive("GET /api/site/firmware_upgrade?imei=1 HTTP/1.1\r\nHost: edge\r\n\r\n");
        assertThat(head(sent())).startsWith("HTTP/1.1 503 ").contains("Retry-After: 7\r\n");
        assertThat(metrics.registry().get("ota.edge.control.refusals").tag("call", "luatos").counter().count()).isZero();
    }
}
