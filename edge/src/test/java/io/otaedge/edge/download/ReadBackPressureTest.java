package io.otaedge.edge.download;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.token.TokenGrant;
import io.otaedge.edge.file.OpenBlobCache;
import io.otaedge.edge.grant.GrantSource;
import io.otaedge.edge.grant.GrantedBlobs;
import io.otaedge.edge.grant.TokenGrants;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.pipeline.KeepAliveHandler;
import io.otaedge.edge.wire.EdgeServerCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download handler's bound on pipelined requests ({@link ReadBackPressure}), alone on an
 * {@link EmbeddedChannel} behind the edge's codec: while the first request's token lookup is pending, the socket
 * stops being read at the {@value ReadBackPressure#MAX_QUEUED}th waiting request, not before, and is read again
 * once the answers have drained the queue below half.
 */
class ReadBackPressureTest {

    @TempDir
    Path dir;

    OpenBlobCache files;
    EmbeddedChannel ch;
    /** Every lookup waits on this one future: nothing is answered until it completes. */
    final CompletableFuture<Optional<TokenGrant>> lookup = new CompletableFuture<>();

    @BeforeEach
    void channel() {
        files = new OpenBlobCache(Duration.ofSeconds(1), 8);
        GrantSource grants = GrantSource.byRoute(
                new TokenGrants(token -> lookup, new GrantedBlobs(new BlobStore(dir), files, null)), null);
        DownloadContext context = new DownloadContext(grants, null, null, new EdgeMetrics(new SimpleMeterRegistry()),
                ServedBytesListener.NONE, 7, 8, false);
        ch = new EmbeddedChannel(new EdgeServerCodec(new HttpDecoderConfig()), new KeepAliveHandler(() -> false),
                new DownloadHandler(context));
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        files.close();
    }

    void receive(int requests) {
        String one = "GET /ota/download/ota_00000000000000000000 HTTP/1.1\r\nHost: edge\r\n\r\n";
        ch.writeInbound(Unpooled.copiedBuffer(one.repeat(requests), StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
    }

    int answers() {
        int n = 0;
        StringBuilder all = new StringBuilder();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            all.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        for (int i = all.indexOf("HTTP/1.1 "); i >= 0; i = all.indexOf("HTTP/1.1 ", i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void fewerWaitingRequestsThanTheBoundKeepTheSocketRead() {
        receive(ReadBackPressure.MAX_QUEUED - 1);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void theBoundStopsReadingAndTheAnswersStartItAgain() {
        receive(ReadBackPressure.MAX_QUEUED);
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(answers()).isZero();

        lookup.complete(Optional.empty());
        ch.runPendingTasks();
        assertThat(answers()).isEqualTo(ReadBackPressure.MAX_QUEUED);
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(ch.isOpen()).isTrue();
    }
}
