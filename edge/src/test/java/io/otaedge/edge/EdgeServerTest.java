package io.otaedge.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.blob.BlobInfo;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import io.otaedge.common.redis.TestRedis;
import io.otaedge.common.token.TokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bootstrap, configuration and transports. */
class EdgeServerTest {

    @TempDir
    Path dir;

    @Test
    void configDefaults() {
        EdgeConfig c = EdgeConfig.from(Settings.from(Map.of()));
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.transport()).isEqualTo("auto");
        assertThat(c.maxConnections()).isEqualTo(100_000);
        assertThat(c.tokenCacheTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxRanges()).isEqualTo(16);
    }

    @Test
    void badConfigNamesTheKey() {
        assertThatThrownBy(() -> EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_TRANSPORT", "carrier-pigeon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_TRANSPORT");
        assertThatThrownBy(() -> EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_WRITE_BUFFER_HIGH", "10"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_WRITE_BUFFER_HIGH");
        assertThatThrownBy(() -> EdgeConfig.from(Settings.from(Map.of("OTA_EDGE_IDLE_TIMEOUT", "60"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_EDGE_IDLE_TIMEOUT");
    }

    @Test
    void portAlreadyTakenIsAClearError() {
        TokenStore tokens = new TokenStore(TestRedis.connector().async());
        BlobStore blobs = new BlobStore(dir);
        try (EdgeServer first = new EdgeServer(EdgeConfig.of("127.0.0.1", 0), EdgeDependencies.builder(tokens::find, blobs).build()).start()) {
            EdgeServer second = new EdgeServer(EdgeConfig.of("127.0.0.1", first.port()),
                    EdgeDependencies.builder(tokens::find, blobs).build());
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void mainWithoutRedisUriIsAClearError() {
        assertThatThrownBy(() -> EdgeMain.run(Settings.from(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_REDIS_URI");
    }

    @Test
    void nioTransportServesTheSameBytes() throws Exception {
        try (EdgeFixture edge = EdgeFixture.start(dir, Map.of("OTA_EDGE_TRANSPORT", "nio"))) {
            byte[] fw = EdgeFixture.randomBytes(300_000, 12);
            BlobInfo blob = edge.storeBlob(fw);
            String path = "/ota/download/" + edge.grant(blob, "fw.bin", Duration.ofMinutes(1));
            try (RawHttp c = new RawHttp(edge.port())) {
                assertThat(c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo(fw);
                assertThat(c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-1999\r\n\r\n").read().body())
                        .isEqualTo(Arrays.copyOfRange(fw, 1000, 2000));
            }
        }
    }
}
