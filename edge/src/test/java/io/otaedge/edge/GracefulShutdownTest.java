package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.blob.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close(): stop accepting, drop idle connections, let a running download finish. */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @Test
    void runningDownloadFinishesWhileNewConnectionsAreRefused() throws Exception {
        int size = 16 * 1024 * 1024;
        EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_SHUTDOWN_GRACE", "PT20S"));
        byte[] firmware = EdgeFixture.randomBytes(size, 9);
        BlobInfo blob = edge.storeBlob(firmware);
        String path = "/ota/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5));
        int port = edge.port();
        try (RawHttp idle = new RawHttp(port); Socket downloading = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(idle.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\n\r\n").read().status())
                    .isEqualTo(206);
            downloading.setReceiveBufferSize(16 * 1024);
            downloading.setSoTimeout(10_000);
            downloading.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = downloading.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");

            CompletableFuture<Void> closing = CompletableFuture.runAsync(edge::close);
            assertThat(idle.closedByServer()).isTrue();
            awaitRefused(port);
            assertThat(closing).isNotDone();

            byte[] body = in.readNBytes(size);
            assertThat(Arrays.equals(body, firmware)).isTrue();
            closing.get();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static void awaitRefused(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            } catch (IOException refused) {
                break;
            }
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in head");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
