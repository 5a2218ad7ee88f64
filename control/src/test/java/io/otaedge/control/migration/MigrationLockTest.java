package io.otaedge.control.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.common.redis.RedisConnector;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up migrations' lock never lets one control undo another's hold (a Redis of its own: the key is global). */
class MigrationLockTest {

    @TempDir
    static Path dir;
    static LocalRedisServer server;
    static RedisConnector redis;
    static RedisClusterCommands<String, String> sync;

    @BeforeAll
    static void start() throws Exception {
        server = LocalRedisServer.start(dir.resolve("redis"));
        redis = RedisConnector.connect(server.uri());
        sync = redis.sync();
    }

    @AfterAll
    static void stop() {
        redis.close();
        server.close();
    }

    @BeforeEach
    void free() {
        sync.del(MigrationLock.KEY);
    }

    @Test
    void aReleaseGivesBackOnlyItsOwnHold() {
        MigrationLock a = new MigrationLock(sync, "a");
        MigrationLock b = new MigrationLock(sync, "b");
        assertThat(a.tryTake()).isTrue();
        assertThat(b.tryTake()).isFalse();
        b.release();
        assertThat(sync.get(MigrationLock.KEY)).as("b never held it").isEqualTo("a");
        a.release();
        assertThat(sync.get(MigrationLock.KEY)).isNull();
    }

    @Test
    void aRenewalExtendsItsOwnLeaseAndFailsWhenTheLockPassedToAnother() {
        MigrationLock a = new MigrationLock(sync, "a");
        assertThat(a.tryTake()).isTrue();
        sync.pexpire(MigrationLock.KEY, 1_000);
        a.renew();
        assertThat(sync.pttl(MigrationLock.KEY)).as("extended to the full lease").isGreaterThan(30_000L);
        // a's lease lapsed and b took the lock: a must stop, not migrate beside b or take the lock from it.
        sync.del(MigrationLock.KEY);
        MigrationLock b = new MigrationLock(sync, "b");
        assertThat(b.tryTake()).isTrue();
        assertThatThrownBy(a::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("lost the lock");
        assertThat(sync.get(MigrationLock.KEY)).isEqualTo("b");
    }

    @Test
    void aRenewalAfterALapseNobodyNoticedTakesTheLockBack() {
        MigrationLock a = new MigrationLock(sync, "a");
        assertThat(a.tryTake()).isTrue();
        sync.del(MigrationLock.KEY);
        a.renew();
        assertThat(sync.get(MigrationLock.KEY)).isEqualTo("a");
    }
}
