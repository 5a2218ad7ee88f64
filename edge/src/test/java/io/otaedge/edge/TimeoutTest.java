package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.common.blob.BlobInfo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle, read and write timeouts, with short values so the test stays quick. */
class TimeoutTest {

    private static final int BIG = 32 * 1024 * 1024;

    @TempDir
    static Path dir;
    private static EdgeFixture edge;
    private static String token;

    @BeforeAll
    static void start() {
        edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_IDLE_TIMEOUT", "PT0.5S", "OTA_EDGE_READ_TIMEOUT", "PT0.5S",
                "OTA_EDGE_WRITE_TIMEOUT", "PT0.5S"));
        BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(BIG, 1));
        token = edge.grant(blob, "big.bin", Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        edge.close();
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            assertThat(c.send("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n").read().status())
                    .isEqualTo(206);
            long t0 = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        }
    }

    @Test
    void requestHeadTricklingInIsCutOffByTheReadTimeout() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] head = ("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(200))
                    .getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            boolean closed = false;
            // One byte every 100 ms: each byte is progress, but the head never completes.
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    out.write(head[i]);
                    out.flush();
                    closed = in.read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing to read yet: keep trickling
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void stalledReaderIsCutOffByTheWriteTimeout() throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), edge.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Read one byte (the response has started), then nothing until the edge has given up on us;
            // then drain what the kernels buffered.
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo('H');
            awaitOpenConnections(0, Duration.ofSeconds(5));
            long received = 1;
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) != -1; ) {
                    received += n;
                }
            } catch (SocketException reset) {
                // closed with unsent data: a reset is as good as an EOF here
            }
            assertThat(received).isLessThan(BIG);
        }
    }

    @Test
    void slowButMovingReaderIsNotCutOff() throws Exception {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), edge.port()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            long total = 0;
            byte[] buf = new byte[16 * 1024];
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            // Six write timeouts' worth of a reader that takes a little every 200 ms: never cut off.
            while (System.nanoTime() < end) {
                int n = in.read(buf);
                assertThat(n).as("connection still delivering").isPositive();
                total += n;
                Thread.sleep(200); // pacing the slow client, not waiting for a condition
            }
            assertThat(total).isLessThan(BIG);
            assertThat(edge.edge.openConnections()).isEqualTo(1);
        }
    }

    static void awaitOpenConnections(int n, Duration timeout) {
        awaitOpenConnections(edge, n, timeout);
    }

    static void awaitOpenConnections(EdgeFixture edge, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (edge.edge.openConnections() > n && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(edge.edge.openConnections()).isLessThanOrEqualTo(n);
    }
}
