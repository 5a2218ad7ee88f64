package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otaedge.common.config.ConfigException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
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
    void commandsAreSpreadOverEveryConnectionOfThePool() {
        try (RedisConnector redis = RedisConnector.connect(TestRedis.uri(), RedisConnector.DEFAULT_COMMAND_TIMEOUT, null, 3)) {
            assertThat(redis.connectionCount()).isEqualTo(3);
            Set<Long> clients = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                clients.add(redis.async().clientId().toCompletableFuture().join());
            }
            assertThat(clients).as("each call went to the next connection").hasSize(3);
            // And what one connection wrote, the next one reads.
            redis.async().set("ota:test:pool", "v").toCompletableFuture().join();
            assertThat(redis.async().get("ota:test:pool").toCompletableFuture().join()).isEqualTo("v");
        }
    }

    @Test
    void aPoolOfNoConnectionsIsAConfigurationError() {
        assertThatThrownBy(() -> RedisConnector.connect(TestRedis.uri(), RedisConnector.DEFAULT_COMMAND_TIMEOUT, null, 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_REDIS_CONNECTIONS");
    }

    @Test
    void redactionKeepsUrisWithoutCredentialsAsTheyAre() {
        assertThat(RedisConnector.redacted("redis://10.0.0.5:6379/0")).isEqualTo("redis://10.0.0.5:6379/0");
        assertThat(RedisConnector.redacted("rediss://user:pw@host:6380")).isEqualTo("rediss://***@host:6380");
    }
}
