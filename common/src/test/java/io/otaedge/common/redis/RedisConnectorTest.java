package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class RedisConnectorTest {

    @Test
    void anUnreachableRedisIsAClearStartupErrorWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String uri = "redis://:s3cret@127.0.0.1:" + closedPort + "/0";
        assertThatThrownBy(() -> RedisConnector.connect(uri))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot reach Redis at redis://***@127.0.0.1:" + closedPort)
                .hasMessageContaining("OTA_REDIS_URI")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void redactionKeepsUrisWithoutCredentialsAsTheyAre() {
        assertThat(RedisConnector.redacted("redis://10.0.0.5:6379/0")).isEqualTo("redis://10.0.0.5:6379/0");
        assertThat(RedisConnector.redacted("rediss://user:pw@host:6380")).isEqualTo("rediss://***@host:6380");
    }
}
