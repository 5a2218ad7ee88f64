package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.otaedge.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RedisAddressTest {

    @Test
    void aPlainUriIsOneNode() {
        RedisAddress a = RedisAddress.parse("redis://:pw@10.0.0.5:6380/2");
        assertThat(a.cluster()).isFalse();
        assertThat(a.nodes()).singleElement().satisfies(n -> {
            assertThat(n.getHost()).isEqualTo("10.0.0.5");
            assertThat(n.getPort()).isEqualTo(6380);
            assertThat(n.getDatabase()).isEqualTo(2);
        });
        assertThat(RedisAddress.parse("rediss://h:6379").nodes().get(0).isSsl()).isTrue();
    }

    @Test
    void aClusterUriListsEverySeedWithTheCredentialsAndDefaultPort() {
        RedisAddress a = RedisAddress.parse("redis-cluster://app:p%40ss+1@h1:7000,h2,[::1]:7002/");
        assertThat(a.cluster()).isTrue();
        assertThat(a.nodes()).extracting(RedisURI::getHost).containsExactly("h1", "h2", "::1");
        assertThat(a.nodes()).extracting(RedisURI::getPort).containsExactly(7000, 6379, 7002);
        assertThat(a.nodes()).allSatisfy(n -> {
            assertThat(credentials(n).getUsername()).isEqualTo("app");
            assertThat(new String(credentials(n).getPassword())).isEqualTo("p@ss+1");
            assertThat(n.isSsl()).isFalse();
        });
    }

    @Test
    void theTlsClusterFormUsesTls() {
        RedisAddress a = RedisAddress.parse("rediss-cluster://:secret@h1:7000,h2:7001");
        assertThat(a.cluster()).isTrue();
        assertThat(a.nodes()).allSatisfy(n -> {
            assertThat(n.isSsl()).isTrue();
            assertThat(credentials(n).hasUsername()).isFalse();
            assertThat(new String(credentials(n).getPassword())).isEqualTo("secret");
        });
    }

    @Test
    void malformedClusterUrisAreClearConfigErrorsWithoutThePassword() {
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://u:s3cret@h1:7000,,h2:7001"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OTA_REDIS_URI")
                .hasMessageContaining("an entry has no host")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://h1:notaport"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a port between 1 and 65535");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://h1:70000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("a port between 1 and 65535");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://h1:7000/3"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only database 0");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisAddress.parse("redis-cluster://[::1:7000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("closing ']'");
        assertThatThrownBy(() -> RedisAddress.parse(" "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis-cluster://");
        assertThatThrownBy(() -> RedisAddress.parse("mysql://h1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OTA_REDIS_URI");
    }

    private static RedisCredentials credentials(RedisURI uri) {
        return uri.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void redactionHidesClusterCredentialsToo() {
        assertThat(RedisConnector.redacted("rediss-cluster://u:pw@h1:7000,h2:7001"))
                .isEqualTo("rediss-cluster://***@h1:7000,h2:7001");
    }
}
