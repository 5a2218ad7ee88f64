package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.token.TokenStore;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.edge.metrics.EdgeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download with {@code Range} and an If-Range longer than 64 characters, on real sockets through the
 * real token store: once every such request went unanswered and its connection stayed open past every
 * edge timeout (300 held after 130 s: any token pinned sockets). Now the value is neither a strong tag
 * nor a date, so the Range is ignored and the whole firmware sent (RFC 9110 §13.1.5); and an exception
 * in a lookup's continuation, run by Netty's executor, is answered 500 and closes the connection.
 */
class MalformedValidatorsTest {

    static final int SIZE = 20_000;

    @TempDir
    static Path dir;
    static EdgeFixture edge;
    static byte[] firmware;
    static String token;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir);
        firmware = EdgeFixture.randomBytes(SIZE, 41);
        BlobInfo blob = edge.storeBlob(firmware);
        token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    static String request(String ifRange, String connection) {
        return "GET /ota/download/" + token + " HTTP/1.1\r\nHost: edge\r\nRange: bytes=100-199\r\nIf-Range: " + ifRange
                + "\r\nConnection: " + connection + "\r\n\r\n";
    }

    @Test
    void aRangeWithAnIfRangeOfAnyLengthGetsTheWholeFirmware() throws Exception {
        for (int length : new int[] {64, 65, 300, 4000}) {
            try (RawHttp c = new RawHttp(edge.port())) {
                RawHttp.Response r = c.send(request("x".repeat(length), "keep-alive")).read();
                assertThat(r.status()).as("If-Range of %d characters", length).isEqualTo(200);
                assertThat(r.body()).isEqualTo(firmware);
                // The connection goes on: the next request on it is served too.
                RawHttp.Response next = c.send(request("\"" + "0".repeat(64) + "\"", "close")).read();
                assertThat(next.status()).isEqualTo(200);
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void manySuchRequestsAtOnceAreAllAnsweredAndTheirConnectionsClosed() throws Exception {
        int clients = 100;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> answered = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String ifRange = "Tue, 02 Jan 2024 03:04:05 GMT ".repeat(3 + i % 5);
                answered.add(pool.submit(() -> {
                    try (RawHttp c = new RawHttp(edge.port())) {
                        RawHttp.Response r = c.send(request(ifRange, "close")).read();
                        return r.status() == 200 && java.util.Arrays.equals(r.body(), firmware) && c.closedByServer();
                    }
                }));
            }
            for (Future<Boolean> f : answered) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExceptionInALookupsContinuationOnAnotherThreadIs500AndACloseNotAHang() throws Exception {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        // Completes on a pool thread with null instead of an Optional: the continuation, run as an
        // event-loop task, throws where Netty's executor would only have logged it.
        try (EdgeFixture broken = EdgeFixture.start(dir.resolve("broken"), Map.of(), tokens,
                t -> CompletableFuture.supplyAsync(() -> null), EdgeMetrics.unregistered())) {
            try (RawHttp c = new RawHttp(broken.port())) {
                RawHttp.Response r = c.send(request("x", "keep-alive")).read();
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(r.bodyText()).isEqualTo(
                        "{\"error\":\"internal_error\",\"message\":\"the edge failed to answer this request\"}");
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }
}
