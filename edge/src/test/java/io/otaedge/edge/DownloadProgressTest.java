package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.progress.ServedBytes;
import io.otaedge.common.redis.RedisKeys;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes served per token reach Redis in batches, per (task, device), readable by the control service. */
class DownloadProgressTest {

    private static final int SIZE = 64 * 1024;
    private static final int CHUNK = 1024;
    /** No periodic flush within a test: flushes are triggered by hand. */
    private static final String NEVER = "PT1H";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DownloadProgressStore store = new DownloadProgressStore(TestRedis.connector().async());
    private final String product = "p-" + UUID.randomUUID().toString().substring(0, 8);
    private final String task = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private EdgeFixture edge;
    private BlobInfo blob;

    /** Starts an edge flushing every {@code flush} with one blob on disk, and grants it to {@code device}. */
    private String start(String flush, String device) {
        edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_PROGRESS_FLUSH", flush));
        blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 7));
        return grant(device);
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    private String grant(String device) {
        return edge.grant(blob, "fw.bin", Duration.ofMinutes(5), product, task, device);
    }

    private int get(String token, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.uri("/ota/download/" + token)).timeout(Duration.ofSeconds(10));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void flush() {
        // The client can hold a response's last byte a moment before the edge has counted it.
        edge.edge.syncEventLoops();
        edge.edge.progress().flush().toCompletableFuture().join();
    }

    private ServedBytes served(String device) {
        return store.forDevice(product, task, device).toCompletableFuture().join();
    }

    @Test
    void manyRangeRequestsReachRedisAsOneWritePerDeviceBucketAtTheNextFlush() throws Exception {
        String tokenA = start(NEVER, "dev-a");
        String tokenB = grant("dev-b");
        int ranges = SIZE / CHUNK / 2;
        for (int i = 0; i < ranges; i++) {
            assertThat(get(tokenA, "bytes=" + i * CHUNK + "-" + ((i + 1) * CHUNK - 1))).isEqualTo(206);
        }
        assertThat(get(tokenB, "bytes=0-99")).isEqualTo(206);
        assertThat(get(tokenB, "bytes=100-199,1000-1099")).isEqualTo(206);

        assertThat(served("dev-a")).isEqualTo(ServedBytes.NONE);
        long writesBefore = edge.edge.progress().writes();
        flush();

        // One script call per task and device bucket (each bucket is its own hash tag), however many ranges.
        long buckets = Stream.of("dev-a", "dev-b").map(RedisKeys::bucket).distinct().count();
        assertThat(edge.edge.progress().writes() - writesBefore).as("one Redis call per bucket of the task").isEqualTo(buckets);
        ServedBytes a = served("dev-a");
        assertThat(a).isEqualTo(new ServedBytes((long) ranges * CHUNK, (long) ranges * CHUNK));
        assertThat(a.percentOf(SIZE)).isEqualTo(50);
        assertThat(served("dev-b")).isEqualTo(new ServedBytes(300, 1100));
        assertThat(store.forTask(product, task).toCompletableFuture().join()).containsOnlyKeys("dev-a", "dev-b");

        // Nothing new served: a flush writes nothing.
        flush();
        assertThat(edge.edge.progress().writes() - writesBefore).isEqualTo(buckets);
    }

    @Test
    void theHighestOffsetOnlyGrowsAndBytesAddUpAcrossFlushes() throws Exception {
        String token = start(NEVER, "dev");
        assertThat(get(token, "bytes=-1000")).isEqualTo(206);
        flush();
        assertThat(get(token, "bytes=0-999")).isEqualTo(206);
        flush();
        assertThat(served("dev")).isEqualTo(new ServedBytes(2000, SIZE));
        assertThat(served("dev").percentOf(SIZE)).isEqualTo(100);
    }

    @Test
    void progressIsFlushedPeriodically() throws Exception {
        String token = start("PT0.2S", "dev");
        assertThat(get(token, null)).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), () -> served("dev"), s -> s.bytes() == SIZE, "the whole download counted");
    }

    @Test
    void whatIsCountedBeforeShutdownIsWrittenAtShutdown() throws Exception {
        String token = start(NEVER, "dev");
        assertThat(get(token, "bytes=0-4095")).isEqualTo(206);
        assertThat(served("dev")).isEqualTo(ServedBytes.NONE);
        edge.close();
        assertThat(served("dev")).isEqualTo(new ServedBytes(4096, 4096));
    }

    @Test
    void headRequestsAndErrorsCountNothing() throws Exception {
        String token = start(NEVER, "dev");
        HttpRequest head = HttpRequest.newBuilder(edge.uri("/ota/download/" + token))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        assertThat(get(token, "bytes=" + SIZE + "-")).isEqualTo(416);
        flush();
        assertThat(served("dev")).isEqualTo(ServedBytes.NONE);
    }
}
