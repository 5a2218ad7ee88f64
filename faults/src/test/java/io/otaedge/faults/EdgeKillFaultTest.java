package io.otaedge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 13, fault 2: an edge killed with SIGKILL while 30 devices download from it, each reading slowly (a paced
 * reader with a 16 KiB receive window, as a slow link holds a download open). Every device then resumes the way
 * the FOG v2 SDK ({@code MXCHIP/Fog_v2_MiCOKIT_ENJOY} {@code fog_ota.c}), the Aliyun SDKs and LuatOS' C client do:
 * the same GET with {@code Range: bytes=<received>-}; half of them on a second edge that was running all along, half
 * on the killed edge restarted on its port. Every resume is a 206 from exactly the received byte (or a 503 with
 * {@code Retry-After}, then retried), and every assembled file's sha-256 is the firmware's.
 */
@Tag("slow") // real processes: run by `./mvnw -B verify -Pslow` (see README, Tests)
class EdgeKillFaultTest {

    static final String PRODUCT = "edgefault";
    static final int DEVICES = 30;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the services' logs stay for a failed run
    Path dir;

    @Test
    void edgeKilledUnderThirtySlowDownloadsEveryDeviceResumesByRangeToTheRightSha256() throws Exception {
        try (SplitSystem system = SplitSystem.start(dir)) {
            SplitSystem.Edge a = system.startEdge("a");
            SplitSystem.Edge b = system.startEdge("b");
            Admin admin = system.adminClient();
            Devices devices = new Devices(PRODUCT);
            assertThat(admin.createProduct(PRODUCT)).isEqualTo(201);
            byte[] firmware = new byte[8 << 20];
            new Random(2).nextBytes(firmware);
            JsonNode fw = admin.uploadFirmware(PRODUCT, "2.0.0", firmware);
            admin.createTask(PRODUCT, fw.get("id").asText());
            String oneNet = admin.oneNetAuthorization(PRODUCT);

            List<ResumingDownload> downloads = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                downloads.add(new ResumingDownload("/ota/download/" + devices.oneNetToken(system.device(""), oneNet, 100 + d)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
            try {
                List<Future<Boolean>> first = new ArrayList<>();
                for (ResumingDownload d : downloads) {
                    first.add(pool.submit(() -> d.attempt(a.port, 4096, 10)));
                }
                Await.until(Duration.ofSeconds(30), () -> downloads.stream().allMatch(d -> d.received() >= 128 * 1024),
                        "all 30 downloads under way");

                a.kill();
                long killed = System.nanoTime();
                downloads.forEach(d -> d.pace(0)); // drain what the kernel still holds, to find the cut quickly
                for (Future<Boolean> f : first) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).as("a download cut by the kill").isFalse();
                }
                long cutWithin = System.nanoTime() - killed;
                long minReceived = downloads.stream().mapToLong(ResumingDownload::received).min().orElseThrow();
                long maxReceived = downloads.stream().mapToLong(ResumingDownload::received).max().orElseThrow();

                a.start(); // the same port, as an orchestrator restarts it
                long restarted = System.nanoTime() - killed;
                List<Future<Boolean>> resumed = new ArrayList<>();
                for (int i = 0; i < DEVICES; i++) {
                    ResumingDownload d = downloads.get(i);
                    int port = i % 2 == 0 ? b.port : a.port;
                    resumed.add(pool.submit(() -> resume(d, port)));
                }
                String expected = RedisOutageFaultTest.sha256(firmware);
                int retries = 0;
                for (int i = 0; i < DEVICES; i++) {
                    ResumingDownload d = downloads.get(i);
                    assertThat(resumed.get(i).get(60, TimeUnit.SECONDS)).as("device %d resumed to the end", i).isTrue();
                    List<String> statuses = d.statusLines();
                    assertThat(statuses.get(0)).isEqualTo("HTTP/1.1 200 OK");
                    assertThat(statuses.get(statuses.size() - 1)).as("device %d", i).isEqualTo("HTTP/1.1 206 Partial Content");
                    assertThat(statuses.subList(1, statuses.size() - 1)).as("device %d told to retry", i)
                            .allMatch(line -> line.startsWith("HTTP/1.1 503 "));
                    retries += statuses.size() - 2;
                    assertThat(d.total()).isEqualTo(firmware.length);
                    assertThat(d.sha256()).as("device %d's file", i).isEqualTo(expected);
                }
                System.out.printf("FAULT edge-kill: %d downloads cut within %d ms (received %d-%d of %d bytes each);"
                                + " edge restarted on its port in %d ms; all %d resumed with Range (half on the second edge),"
                                + " every sha-256 correct; %d resumes told to retry (503)%n", DEVICES, RedisOutageFaultTest.ms(cutWithin), minReceived, maxReceived,
                        firmware.length, RedisOutageFaultTest.ms(restarted), DEVICES, retries);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Resumes with Range, up to three times as the FOG v2 SDK does; a 503 with {@code Retry-After} (a freshly started
     * edge on a loaded host may time out its first token lookups) is waited out as the header says.
     */
    static boolean resume(ResumingDownload d, int port) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (d.attempt(port, 64 * 1024, 0)) {
                return true;
            }
            if (d.toldToRetry()) {
                TimeUnit.SECONDS.sleep(5);
            }
        }
        return false;
    }
}
