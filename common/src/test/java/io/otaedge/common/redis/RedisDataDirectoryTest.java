package io.otaedge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisDataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aSecondServerOnADirectoryInUseIsRefusedSayingWhoHoldsIt() {
        try (LocalRedisServer first = LocalRedisServer.start(dir)) {
            assertThatThrownBy(() -> LocalRedisServer.start(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another running process (pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageContaining("OTA_DATA_DIR");
            assertThat(first.isActive()).isTrue();
        }
    }

    @Test
    void aRedisLeftRunningByADeadOwnerIsStoppedWithItsWritesBeforeTheNextStarts() throws Exception {
        LocalRedisServer orphan = LocalRedisServer.start(dir);
        long orphanPid = Long.parseLong(Files.readString(dir.toRealPath().resolve(RedisDataDirectory.PID_FILE)).trim());
        try (RedisClient client = RedisClient.create(orphan.uri());
             StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("acknowledged", "yes");
        }
        // The owner dies without stopping its server: only its lock goes (the kernel's part of a kill -9).
        orphan.releaseDirectoryOnly();
        assertThat(ProcessHandle.of(orphanPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        try (LocalRedisServer next = LocalRedisServer.start(dir);
             RedisClient client = RedisClient.create(next.uri());
             StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(c.sync().get("acknowledged")).isEqualTo("yes");
        }
    }
}
