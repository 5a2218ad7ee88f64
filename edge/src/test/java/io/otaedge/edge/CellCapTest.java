package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import io.otaedge.common.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NB-IoT cell cap over real sockets and the test JVM's real Redis (issue #16, control 5): downloads that name
 * one base station ({@code s_id}) hold at most {@code OTA_EDGE_CELL_CAP} slots across all edges; a OneNET download
 * over the cap gets OneNET's one-byte {@code 6} ("NB base-station limit", OneNET's documented download error codes;
 * /work/shared/PROTOCOLS.md), a standard one 503 with Retry-After; without {@code s_id} nothing is capped. A slot
 * belongs to a download (its token), not to a request: a device that drops mid-body and resumes gets back in while
 * the cell is full, and the answer carrying the last byte keeps the slot only for {@code OTA_EDGE_CELL_TAIL}, for a
 * device whose bearer dropped before those bytes reached it. With {@code OTA_EDGE_CELL_CAP=good:…,medium:…,poor:…} each
 * signal band of a cell (from the signal the device reported at its check, carried in its grant) has a pool of its own.
 * A refusal is recorded under the grant's task (the task view's {@code heldByCellCap}). Downloads are held open by
 * clients that do not read an 8 MiB body through a 4 KiB receive buffer.
 */
class CellCapTest {

    private static final int SIZE = 8 * 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final String cell = "4600" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Test
    void theThirdDownloadFromAFullCellGetsOneNetsCode6AndTheNextIsServedOnceOneEnds() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_TAIL", "PT0.5S"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            Held first = Held.open(edge.port(), path(edge, blob));
            Held second = Held.open(edge.port(), path(edge, blob));
            try {
                assertThat(first.status).isEqualTo(200);
                assertThat(second.status).isEqualTo(200);
                assertThat(edge.edge.cells().held()).isEqualTo(2);

                String fourth = path(edge, blob);
                RawHttp.Response third = get(edge.port(), path(edge, blob));
                assertThat(third.status()).isEqualTo(503);
                assertThat(third.body()).containsExactly('6');
                assertThat(third.header("Content-Length")).isNull();
                assertThat(third.header("Retry-After")).isEqualTo("5");

                assertThat(first.readToEnd()).as("the first device's whole firmware").isEqualTo(SIZE);
                Held next = Await.until(WAIT, () -> Held.tryOpen(edge.port(), fourth), h -> h.status == 200,
                        "a slot after one download ended");
                next.close();
                Await.until(WAIT, () -> edge.edge.cells().held() == 1, "only the second download's request still runs");
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void aDeviceResumingAfterItsBearerDroppedGetsBackInWhileTheCellIsFull() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "1", "OTA_EDGE_CELL_TAIL", "PT0.5S"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            String device = path(edge, blob);
            String stranger = path(edge, blob);
            Held dropped = Held.open(edge.port(), device);
            assertThat(dropped.status).isEqualTo(200);
            dropped.close(); // the bearer drops mid-body
            Await.until(WAIT, () -> edge.edge.cells().held() == 0, "the broken answer ended");

            assertThat(get(edge.port(), stranger).body()).as("another device meanwhile").containsExactly('6');
            Held resumed = Held.open(edge.port(), device, "Range: bytes=4096-\r\n");
            try {
                assertThat(resumed.status).as("the same download resuming from its byte").isEqualTo(206);
                assertThat(resumed.readToEnd()).isEqualTo(SIZE - 4096);
            } finally {
                resumed.close();
            }
            Held next = Await.until(WAIT, () -> Held.tryOpen(edge.port(), stranger), h -> h.status == 200,
                    "the slot freed a tail after the answer carrying the last byte");
            next.close();
        }
    }

    @Test
    void aStandardDownloadOverTheCapGets503WithRetryAfterAndOneWithoutSidIsNotCapped() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "1"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            String token = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
            String other = edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
            Held held = Held.open(edge.port(), "/ota/south/download/" + token + "?s_id=" + cell);
            Held uncapped = Held.open(edge.port(), "/ota/south/download/" + other);
            Held uncappedStandard = Held.open(edge.port(), "/ota/download/" + other);
            try {
                assertThat(held.status).isEqualTo(200);
                assertThat(uncapped.status).isEqualTo(200);
                assertThat(uncappedStandard.status).isEqualTo(200);

                RawHttp.Response refused = get(edge.port(), "/ota/download/" + other + "?s_id=" + cell);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.bodyText()).contains("\"error\":\"cell_full\"");
                assertThat(edge.edge.cells().held()).isEqualTo(1);
            } finally {
                held.close();
                uncapped.close();
                uncappedStandard.close();
            }
        }
    }

    @Test
    void twoEdgesTogetherNeverServeMoreThanTheCapOfOneCellAndResumesFindTheirSlots() throws Exception {
        int cap = 3;
        int devices = 12;
        Map<String, String> settings = Map.of("OTA_EDGE_CELL_CAP", Integer.toString(cap));
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try (EdgeFixture a = EdgeFixture.start(dir.resolve("a"), settings);
             EdgeFixture b = EdgeFixture.start(dir.resolve("b"), settings)) {
            BlobInfo blob = a.storeBlob(EdgeFixture.randomBytes(SIZE, 16));
            b.storeBlob(EdgeFixture.randomBytes(SIZE, 16));
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                paths.add(path(a, blob));
            }
            Set<String> admitted = null;
            for (int wave = 0; wave < 2; wave++) {
                // wave 1: twelve devices arrive; wave 2: each drops and comes back, half of them on the other edge
                int shift = wave;
                List<Future<Held>> started = new ArrayList<>();
                for (int i = 0; i < devices; i++) {
                    int port = ((i + shift) % 2 == 0 ? a : b).port();
                    String path = paths.get(i);
                    started.add(pool.submit(() -> Held.open(port, path)));
                }
                List<Held> all = new ArrayList<>();
                for (Future<Held> f : started) {
                    all.add(f.get());
                }
                try {
                    Set<String> served = new HashSet<>();
                    for (int i = 0; i < devices; i++) {
                        if (all.get(i).status == 200) {
                            served.add(paths.get(i));
                        } else {
                            assertThat(all.get(i).status).isEqualTo(503);
                        }
                    }
                    assertThat(served).as("downloads served at once from one cell, both edges").hasSize(cap);
                    if (admitted != null) {
                        assertThat(served).as("the devices that came back are the ones admitted before").isEqualTo(admitted);
                    }
                    admitted = served;
                    assertThat(a.edge.cells().held() + b.edge.cells().held()).isEqualTo(cap);
                } finally {
                    for (Held h : all) {
                        h.close();
                    }
                }
                Await.until(WAIT, () -> a.edge.cells().held() + b.edge.cells().held() == 0, "every request ended");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeviceThatKeepsHangingUpHoldsItsSlotNoLongerThanOneLease() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "1", "OTA_EDGE_CELL_LEASE", "PT1S"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            String path = path(edge, blob);
            for (int i = 0; i < 30; i++) {
                try (Socket s = new Socket()) {
                    s.setSoLinger(true, 0); // a reset, as a modem losing its bearer
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), edge.port()));
                    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
            Await.until(WAIT, () -> edge.edge.cells().held() == 0 && edge.edge.openConnections() == 0,
                    "every hung-up request ended");
            Held next = Await.until(WAIT, () -> Held.tryOpen(edge.port(), path(edge, blob)), h -> h.status == 200,
                    "the cell's one slot free again within the lease");
            next.close();
        }
    }

    @Test
    void aDeadEdgesSlotsFreeThemselvesAfterTheLease() throws Exception {
        // Edge "dead" loses its Redis while holding both slots: its releases and renewals never arrive.
        RedisConnector deadRedis = RedisConnector.connect(TestRedis.uri());
        Map<String, String> settings = Map.of("OTA_EDGE_CELL_CAP", "2", "OTA_EDGE_CELL_LEASE", "PT1S");
        try (EdgeFixture dead = EdgeFixture.start(dir.resolve("dead"), settings, new TokenStore(TestRedis.connector().async()),
                new TokenStore(TestRedis.connector().async())::find, deadRedis.async());
             EdgeFixture alive = EdgeFixture.start(dir.resolve("alive"), settings)) {
            BlobInfo blob = dead.storeBlob(EdgeFixture.randomBytes(SIZE, 24));
            alive.storeBlob(EdgeFixture.randomBytes(SIZE, 24));
            Held first = Held.open(dead.port(), path(dead, blob));
            Held second = Held.open(dead.port(), path(dead, blob));
            String path = path(dead, blob);
            assertThat(first.status).isEqualTo(200);
            assertThat(second.status).isEqualTo(200);
            deadRedis.close();
            first.close();
            second.close();
            Await.until(WAIT, () -> dead.edge.cells().held() == 0, "the dead edge's downloads ended");
            assertThat(get(alive.port(), path).body()).as("the dead edge's slots are still counted").containsExactly('6');
            Held next = Await.until(WAIT, () -> Held.tryOpen(alive.port(), path), h -> h.status == 200,
                    "the dead edge's slots expiring");
            next.close();
        } finally {
            deadRedis.close();
        }
    }


    @Test
    void theLastRangesSlotOutlivesItsWriteByTheTailSoADroppedDeviceResumesItThenTheSlotIsFree() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "1", "OTA_EDGE_CELL_TAIL", "PT3S"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            String device = path(edge, blob);
            String stranger = path(edge, blob);
            String lastRange = "Range: bytes=" + (SIZE - 1000) + "-\r\n";
            Held last = Held.open(edge.port(), device, lastRange);
            assertThat(last.status).isEqualTo(206);
            // The edge wrote the last 1000 bytes to the kernel and its answer ended; the device never read them.
            Await.until(WAIT, () -> edge.edge.cells().held() == 0, "the last range written");
            last.close(); // the bearer drops before the bytes arrive
            long finishedAt = System.nanoTime();

            RawHttp.Response refused = get(edge.port(), stranger);
            assertThat(Duration.ofNanos(System.nanoTime() - finishedAt)).as("still within the tail").isLessThan(Duration.ofSeconds(3));
            assertThat(refused.body()).as("a newcomer while the finished download's tail runs").containsExactly('6');
            Held resumed = Held.open(edge.port(), device, lastRange);
            try {
                assertThat(resumed.status).as("the device resuming its last range in the full cell").isEqualTo(206);
                assertThat(resumed.readToEnd()).isEqualTo(1000);
            } finally {
                resumed.close();
            }
            Held next = Await.until(WAIT, () -> Held.tryOpen(edge.port(), stranger), h -> h.status == 200,
                    "the slot free once the tail after the resumed last range ran out");
            next.close();
        }
    }

    @Test
    void eachSignalBandOfACellFillsItsOwnPoolAcrossTwoEdgesAndADeviceWithoutSignalTakesAPoorSlot() throws Exception {
        Map<String, String> settings = Map.of("OTA_EDGE_CELL_CAP", "good:2,medium:1,poor:1", "OTA_EDGE_CELL_BANDS", "good:15,medium:10");
        io.otaedge.edge.metrics.EdgeMetrics metricsB = new io.otaedge.edge.metrics.EdgeMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        try (EdgeFixture a = EdgeFixture.start(dir.resolve("a"), settings);
             EdgeFixture b = EdgeFixture.start(dir.resolve("b"), settings, tokens, tokens::find, metricsB,
                     TestRedis.connector().async())) {
            BlobInfo blob = a.storeBlob(EdgeFixture.randomBytes(SIZE, 16));
            b.storeBlob(EdgeFixture.randomBytes(SIZE, 16));
            List<Held> held = new ArrayList<>();
            try {
                held.add(Held.open(a.port(), path(a, blob, 20)));
                held.add(Held.open(b.port(), path(a, blob, 15)));
                held.add(Held.open(a.port(), path(a, blob, null)));
                held.add(Held.open(b.port(), path(a, blob, 12)));
                for (Held h : held) {
                    assertThat(h.status).as("two good, one poor (no signal reported), one medium").isEqualTo(200);
                }
                assertThat(get(b.port(), path(a, blob, 31)).body()).as("a third good device").containsExactly('6');
                assertThat(get(a.port(), path(a, blob, 3)).body()).as("a second poor device").containsExactly('6');
                assertThat(get(b.port(), path(a, blob, 99)).body()).as("CSQ 99, not known: poor").containsExactly('6');
                assertThat(get(a.port(), path(a, blob, 14)).body()).as("a second medium device").containsExactly('6');
                assertThat(a.edge.cells().held() + b.edge.cells().held()).isEqualTo(4);
                assertThat(metricsB.registry().get("ota.edge.cell.refusals").tag("band", "good").counter().count()).isEqualTo(1);
                assertThat(metricsB.registry().get("ota.edge.cell.refusals").tag("band", "poor").counter().count()).isEqualTo(1);
                assertThat(metricsB.registry().get("ota.edge.cell.refusals").tag("band", "medium").counter().count()).isZero();
            } finally {
                held.forEach(Held::close);
            }
        }
    }

    @Test
    void everyDeviceAFullCellTurnsAwayIsCountedOnceUnderItsTask() throws Exception {
        String task = "task-" + UUID.randomUUID();
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_CELL_CAP", "1"))) {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(SIZE, 8));
            Held admitted = Held.open(edge.port(), taskPath(edge, blob, task, "dev-a"));
            try {
                assertThat(admitted.status).isEqualTo(200);
                String b = taskPath(edge, blob, task, "dev-b");
                assertThat(get(edge.port(), b).body()).containsExactly('6');
                assertThat(get(edge.port(), b).body()).as("the same device again").containsExactly('6');
                assertThat(get(edge.port(), taskPath(edge, blob, task, "dev-c")).body()).containsExactly('6');
                String key = io.otaedge.common.redis.RedisKeys.taskCellHeld(task);
                Await.until(WAIT, () -> TestRedis.connector().async().pfcount(key).toCompletableFuture().join() == 2, "two devices recorded");
                assertThat(TestRedis.connector().async().pttl(key).get()).as("the record expires by itself")
                        .isPositive().isLessThanOrEqualTo(Duration.ofDays(30).toMillis());
            } finally {
                admitted.close();
            }
        }
    }

    /** A new device's OneNET download path in this test's cell. */
    private String path(EdgeFixture edge, BlobInfo blob) {
        return "/ota/south/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5)) + "?s_id=" + cell;
    }

    /** A new device's OneNET download path in this test's cell, the device having reported {@code signal}. */
    private String path(EdgeFixture edge, BlobInfo blob, Integer signal) {
        return "/ota/south/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5), "p1", "task-1", "dev-1", signal)
                + "?s_id=" + cell;
    }

    private String taskPath(EdgeFixture edge, BlobInfo blob, String task, String device) {
        return "/ota/south/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5), "p1", task, device) + "?s_id=" + cell;
    }

    private static RawHttp.Response get(int port, String path) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            return http.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
        }
    }

    /** A download whose status line was read and whose body is left unread, so the edge keeps serving it. */
    private static final class Held implements AutoCloseable {
        final Socket socket;
        final int status;

        private Held(Socket socket, int status) {
            this.socket = socket;
            this.status = status;
        }

        static Held open(int port, String path) throws IOException {
            return open(port, path, "");
        }

        static Held open(int port, String path, String headers) throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line = statusLine(s.getInputStream());
            return new Held(s, Integer.parseInt(line.split(" ")[1]));
        }

        /** Reads the rest of the head and the whole body (Content-Length); returns the body's length. */
        long readToEnd() throws IOException {
            InputStream in = socket.getInputStream();
            long length = -1;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            long left = length;
            byte[] buf = new byte[65536];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
            return length - left;
        }

        private static String line(InputStream in) throws IOException {
            return statusLine(in);
        }

        static Held tryOpen(int port, String path) {
            try {
                Held h = open(port, path);
                if (h.status != 200) {
                    h.close();
                }
                return h;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static String statusLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                b.write(c);
            }
            return b.toString(StandardCharsets.US_ASCII).trim();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
    }
}
