package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes served per token reach Redis in batches, per (task, device), readable by the control service. */
class DownloadProgressTest {

    private static final int SIZE = 64 * 1024;
    private static final int CHUNK = 1024;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DownloadProgressStore store = new DownloadProgressStore(TestRedis.connector().async());

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private int get(EdgeFixture edge, String token, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.uri("/ota/download/" + token)).timeout(Duration.ofSeconds(10));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private ServedBytes served(String product, String task, String device) {
        return store.forDevice(product, task, device).toCompletableFuture().join();
    }

    @Test
    void manyRangeRequestsReachRedisAsOneWriteAtTheNextFlush() throws Exception {
        // No periodic flush within the test: the flush is triggered by hand.
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT1H"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 7));
            String product = id("p");
            String task = id("t");
            String tokenA = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev-a");
            String tokenB = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev-b");
            int ranges = SIZE / CHUNK / 2;
            for (int i = 0; i < ranges; i++) {
                assertThat(get(edge, tokenA, "bytes=" + i * CHUNK + "-" + ((i + 1) * CHUNK - 1))).isEqualTo(206);
            }
            assertThat(get(edge, tokenB, "bytes=0-99")).isEqualTo(206);
            assertThat(get(edge, tokenB, "bytes=100-199,1000-1099")).isEqualTo(206);

            assertThat(served(product, task, "dev-a")).isEqualTo(ServedBytes.NONE);
            long writesBefore = edge.edge.progress().writes();
            edge.edge.progress().flush().toCompletableFuture().join();

            assertThat(edge.edge.progress().writes() - writesBefore).as("one Redis call for the task").isEqualTo(1);
            ServedBytes a = served(product, task, "dev-a");
            assertThat(a).isEqualTo(new ServedBytes((long) ranges * CHUNK, (long) ranges * CHUNK));
            assertThat(a.percentOf(SIZE)).isEqualTo(50);
            assertThat(served(product, task, "dev-b")).isEqualTo(new ServedBytes(300, 1100));
            assertThat(store.forTask(product, task).toCompletableFuture().join()).containsOnlyKeys("dev-a", "dev-b");

            // Nothing new served: a flush writes nothing.
            edge.edge.progress().flush().toCompletableFuture().join();
            assertThat(edge.edge.progress().writes() - writesBefore).isEqualTo(1);
        }
    }

    @Test
    void theHighestOffsetOnlyGrowsAndBytesAddUpAcrossFlushes() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT1H"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            String product = id("p");
            String task = id("t");
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev");
            assertThat(get(edge, token, "bytes=-1000")).isEqualTo(206);
            edge.edge.progress().flush().toCompletableFuture().join();
            assertThat(get(edge, token, "bytes=0-999")).isEqualTo(206);
            edge.edge.progress().flush().toCompletableFuture().join();
            assertThat(served(product, task, "dev")).isEqualTo(new ServedBytes(2000, SIZE));
            assertThat(served(product, task, "dev").percentOf(SIZE)).isEqualTo(100);
        }
    }

    @Test
    void progressIsFlushedPeriodically() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT0.2S"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 9));
            String product = id("p");
            String task = id("t");
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev");
            assertThat(get(edge, token, null)).isEqualTo(200);
            Await.until(Duration.ofSeconds(10), () -> served(product, task, "dev"),
                    s -> s.bytes() == SIZE, "the whole download counted");
        }
    }

    @Test
    void whatIsCountedBeforeShutdownIsWrittenAtShutdown() throws Exception {
        String product = id("p");
        String task = id("t");
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT1H"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 10));
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev");
            assertThat(get(edge, token, "bytes=0-4095")).isEqualTo(206);
            assertThat(served(product, task, "dev")).isEqualTo(ServedBytes.NONE);
        }
        assertThat(served(product, task, "dev")).isEqualTo(new ServedBytes(4096, 4096));
    }

    @Test
    void headRequestsAndErrorsCountNothing() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", "PT1H"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 11));
            String product = id("p");
            String task = id("t");
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, "dev");
            HttpRequest head = HttpRequest.newBuilder(edge.uri("/ota/download/" + token))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            assertThat(http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(get(edge, token, "bytes=" + SIZE + "-")).isEqualTo(416);
            edge.edge.progress().flush().toCompletableFuture().join();
            assertThat(served(product, task, "dev")).isEqualTo(ServedBytes.NONE);
        }
    }
}
