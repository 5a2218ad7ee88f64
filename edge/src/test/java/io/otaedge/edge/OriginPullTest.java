package io.otaedge.edge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.metrics.EdgeMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.blob.BlobWriter;
import io.otaedge.common.blob.InternalBlobApi;
import io.otaedge.common.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge with an empty blob directory pulls a missing blob from its origin, verifies it, stores it
 * and serves it; concurrent misses share one pull; a corrupted origin gets nothing served or stored.
 * The origin here is a tiny loopback HTTP server that checks the secret and counts requests.
 */
class OriginPullTest {

    private static final String SECRET = "pull-secret-0123456789";
    private static final int SIZE = 200_000;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger originRequests = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private HttpServer origin;

    /** The origin: serves {@link #served} by sha256, after {@link #gate} opens, to callers with the secret. */
    private String startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/internal/v1/blobs/", exchange -> {
            originRequests.incrementAndGet();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String sha = exchange.getRequestURI().getPath().substring("/internal/v1/blobs/".length());
            byte[] body = served.get(sha);
            int status = !SECRET.equals(exchange.getRequestHeaders().getFirst(InternalBlobApi.SECRET_HEADER)) ? 401
                    : body == null ? 404 : 200;
            exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
            if (status == 200) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        origin.start();
        return "http://127.0.0.1:" + origin.getAddress().getPort();
    }

    @AfterEach
    void stopOrigin() {
        if (origin != null) {
            origin.stop(0);
        }
    }

    /** The edge's meters, to see each pull counted by its result. */
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private EdgeFixture edgeWithOrigin(String url, String secret) {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        return EdgeFixture.start(dir, Map.of("OTA_EDGE_ORIGIN_URL", url, "OTA_INTERNAL_SECRET", secret), tokens,
                tokens::find, new EdgeMetrics(meters), TestRedis.connector().async());
    }

    private double pulls(String result) {
        return meters.get("ota.edge.origin.pulls").tag("result", result).counter().count();
    }

    /** The blob's identity, computed in a scratch store: the edge's own store stays empty. */
    private BlobInfo describe(byte[] bytes) throws IOException {
        BlobStore scratch = new BlobStore(dir.resolve("scratch"));
        try (BlobWriter w = scratch.newWriter(Long.MAX_VALUE)) {
            w.write(ByteBuffer.wrap(bytes));
            return w.commit();
        }
    }

    private HttpResponse<byte[]> get(EdgeFixture edge, String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.uri(path)).timeout(Duration.ofSeconds(20));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long tempFiles(BlobStore blobs) throws IOException {
        try (Stream<Path> s = Files.list(blobs.root().resolve("tmp"))) {
            return s.count();
        }
    }

    @Test
    void aMissingBlobIsPulledVerifiedStoredAndServed() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(SIZE, 21);
        BlobInfo blob = describe(firmware);
        served.put(blob.sha256(), firmware);
        try (EdgeFixture edge = edgeWithOrigin(startOrigin(), SECRET)) {
            assertThat(edge.blobs.contains(blob.sha256())).isFalse();
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));

            HttpResponse<byte[]> whole = get(edge, "/ota/download/" + token, null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(firmware);
            assertThat(edge.blobs.contains(blob.sha256())).isTrue();
            assertThat(Files.readAllBytes(edge.blobs.pathOf(blob.sha256()))).isEqualTo(firmware);

            // Now local: ranges are served from disk without asking the origin again.
            HttpResponse<byte[]> range = get(edge, "/ota/download/" + token, "bytes=1000-1999");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(firmware, 1000, 2000));
            assertThat(originRequests.get()).isEqualTo(1);
            assertThat(tempFiles(edge.blobs)).isZero();
            assertThat(pulls("ok")).isEqualTo(1);
        }
    }

    @Test
    void concurrentMissesForOneBlobTriggerOnePull() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(SIZE, 22);
        BlobInfo blob = describe(firmware);
        served.put(blob.sha256(), firmware);
        gate = new CountDownLatch(1);
        try (EdgeFixture edge = edgeWithOrigin(startOrigin(), SECRET)) {
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            int clients = 8;
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                responses.add(http.sendAsync(HttpRequest.newBuilder(edge.uri("/ota/download/" + token))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            // Every request is waiting on the pull before the origin answers it.
            Await.until(Duration.ofSeconds(10), () -> edge.edge.origin().waiting() == clients, "all misses waiting");
            gate.countDown();
            for (CompletableFuture<HttpResponse<byte[]>> r : responses) {
                HttpResponse<byte[]> done = r.get(20, TimeUnit.SECONDS);
                assertThat(done.statusCode()).isEqualTo(200);
                assertThat(done.body()).isEqualTo(firmware);
            }
            assertThat(originRequests.get()).isEqualTo(1);
            assertThat(edge.edge.origin().pulls()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptedOriginGetsNothingServedAndNothingStored() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(SIZE, 23);
        BlobInfo blob = describe(firmware);
        byte[] corrupted = firmware.clone();
        corrupted[SIZE / 2] ^= 1;
        served.put(blob.sha256(), corrupted);
        try (EdgeFixture edge = edgeWithOrigin(startOrigin(), SECRET)) {
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));

            HttpResponse<byte[]> r = get(edge, "/ota/download/" + token, null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(new String(r.body())).contains("\"error\":\"unavailable\"");
            assertThat(edge.blobs.contains(blob.sha256())).isFalse();
            assertThat(tempFiles(edge.blobs)).isZero();

            // OneNET's path answers its one-character "failed to get the file".
            HttpResponse<byte[]> oneNet = get(edge, "/ota/south/download/" + token, "0-99");
            assertThat(oneNet.statusCode()).isEqualTo(503);
            assertThat(new String(oneNet.body())).isEqualTo("4");

            // A failed pull is not remembered: each miss asks again, and still stores nothing.
            assertThat(originRequests.get()).isEqualTo(2);
            assertThat(edge.blobs.contains(blob.sha256())).isFalse();
            assertThat(pulls("hash_mismatch")).isEqualTo(2);
            assertThat(pulls("ok")).isZero();
        }
    }

    @Test
    void aTruncatedOrRefusedPullServesNothing() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(SIZE, 24);
        BlobInfo blob = describe(firmware);
        served.put(blob.sha256(), java.util.Arrays.copyOf(firmware, SIZE - 1));
        String url = startOrigin();
        try (EdgeFixture edge = edgeWithOrigin(url, SECRET)) {
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            assertThat(get(edge, "/ota/download/" + token, null).statusCode()).isEqualTo(503);
            assertThat(edge.blobs.contains(blob.sha256())).isFalse();
            assertThat(pulls("error")).as("a short body is an error, not a hash mismatch").isEqualTo(1);
        }
        served.put(blob.sha256(), firmware);
        try (EdgeFixture edge = edgeWithOrigin(url, "a-wrong-secret-0123456789")) {
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            assertThat(get(edge, "/ota/download/" + token, null).statusCode()).isEqualTo(503);
            assertThat(edge.blobs.contains(blob.sha256())).isFalse();
            assertThat(tempFiles(edge.blobs)).isZero();
        }
    }

    @Test
    void aPullThatCannotStartIs503AtOnceNotAWait() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(SIZE, 26);
        BlobInfo blob = describe(firmware);
        served.put(blob.sha256(), firmware);
        try (EdgeFixture edge = edgeWithOrigin(startOrigin(), SECRET)) {
            // No temp file can be made for the pull: its writer fails before anything is sent.
            Path tmp = dir.resolve("blobs").resolve("tmp");
            Files.delete(tmp);
            Files.writeString(tmp, "not a directory");
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));

            HttpResponse<byte[]> r = get(edge, "/ota/download/" + token, null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(new String(r.body())).contains("\"error\":\"unavailable\"");
            assertThat(originRequests.get()).isZero();
            assertThat(pulls("error")).isEqualTo(1);
            assertThat(edge.edge.origin().waiting()).isZero();
        }
    }

    @Test
    void withoutAnOriginAMissingBlobIs503AndNothingIsFetched() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(1000, 25);
        BlobInfo blob = describe(firmware);
        try (EdgeFixture edge = EdgeFixture.start(dir)) {
            assertThat(edge.edge.origin()).isNull();
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            assertThat(get(edge, "/ota/download/" + token, null).statusCode()).isEqualTo(503);
        }
    }
}
