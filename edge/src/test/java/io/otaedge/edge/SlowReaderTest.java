package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.otaedge.common.blob.BlobInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers that do not read never make the edge buffer the file: the body stays on disk. */
class SlowReaderTest {

    @TempDir
    Path dir;

    @Test
    void manyStalledDownloadsKeepBufferMemorySmall() throws Exception {
        int size = 8 * 1024 * 1024;
        int clients = 24;
        EdgeFixture edge = EdgeFixture.start(dir);
        List<Socket> sockets = new ArrayList<>();
        try {
            BlobInfo blob = edge.storeBlob(EdgeFixture.randomBytes(size, 8));
            String request = "GET /ota/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(5))
                    + " HTTP/1.1\r\nHost: x\r\n\r\n";
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), edge.port()));
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                sockets.add(s);
            }
            // Every client has received its head and a first chunk; none reads further.
            for (Socket s : sockets) {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).isEqualTo('H');
            }
            long used = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory()
                    + ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedHeapMemory();
            // 24 × 8 MiB = 192 MiB is owed to these readers; the edge holds file regions, not bytes.
            assertThat(used).isLessThan(32L * 1024 * 1024);
            assertThat(edge.edge.openConnections()).isEqualTo(clients);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            edge.close();
        }
    }
}
