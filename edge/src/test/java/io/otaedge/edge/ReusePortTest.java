package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several edge processes on one port (OTA_EDGE_REUSE_PORT): how one host holds more connections than one process may open. */
class ReusePortTest {

    @TempDir
    Path dir;

    private static EdgeConfig config(int port, String transport) {
        return EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_BIND", "127.0.0.1", "OTA_EDGE_PORT", Integer.toString(port),
                "OTA_EDGE_TRANSPORT", transport, "OTA_EDGE_REUSE_PORT", "true")));
    }

    @Test
    void twoEdgesShareOnePortAndTheKernelSpreadsConnectionsOverBoth() throws Exception {
        assertThat(Epoll.isAvailable()).as("epoll on this Linux machine").isTrue();
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        BlobStore blobs = new BlobStore(dir);
        List<Socket> sockets = new ArrayList<>();
        try (EdgeServer a = new EdgeServer(config(0, "epoll"), EdgeDependencies.builder(tokens::find, blobs).build()).start();
             EdgeServer b = new EdgeServer(config(a.port(), "epoll"), EdgeDependencies.builder(tokens::find, blobs).build()).start()) {
            assertThat(b.port()).isEqualTo(a.port());
            for (int i = 0; i < 64; i++) {
                sockets.add(new Socket("127.0.0.1", a.port()));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (a.openConnections() + b.openConnections() < 64 && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling a condition, not waiting out a guess
            }
            assertThat(a.openConnections() + b.openConnections()).isEqualTo(64);
            // 64 connections hashed over two listeners: all on one would be a 1 in 2^63 chance.
            assertThat(a.openConnections()).isPositive();
            assertThat(b.openConnections()).isPositive();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void reusePortWithoutEpollIsAClearConfigurationError() {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        EdgeServer nio = new EdgeServer(config(0, "nio"), EdgeDependencies.builder(tokens::find, new BlobStore(dir)).build());
        assertThatThrownBy(nio::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_EDGE_REUSE_PORT").hasMessageContaining("epoll");
    }
}
