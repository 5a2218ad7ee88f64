package io.otaedge.common.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Redis server per test JVM, started on first use through the same {@link LocalRedisServer}
 * the standalone uses, and a shared connection to it. Tests keep out of each other's way with
 * random ids, never by mocking.
 */
public final class TestRedis {

    private static LocalRedisServer server;
    private static RedisConnector connector;

    private TestRedis() {
    }

    public static synchronized LocalRedisServer server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("ota-test-redis-");
                server = LocalRedisServer.start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalRedisServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "test-redis-stop"));
        }
        return server;
    }

    public static String uri() {
        return server().uri();
    }

    public static synchronized RedisConnector connector() {
        if (connector == null) {
            connector = RedisConnector.connect(uri());
        }
        return connector;
    }
}
