package io.otaedge.common.redis;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server process on a loopback port, for the standalone and for tests: the
 * {@code redis-server} on the PATH when there is one, otherwise the binary shipped in the
 * {@code embedded-redis} artifact from Maven Central. AOF is on and the data lives in the given
 * directory, so state survives a restart. The process stops with {@link #close()} (and with the
 * JVM, through the library's shutdown hook).
 */
public final class LocalRedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRedisServer.class);

    private final RedisServer server;
    private final int port;
    private final Path dataDir;

    private LocalRedisServer(RedisServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts Redis on a free loopback port with its data under {@code dataDir}. */
    public static LocalRedisServer start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /** Starts Redis on {@code port}; used to bring a server back on the port its clients know. */
    public static LocalRedisServer start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(executable())
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir \"" + dataDir.toAbsolutePath() + "\"")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save \"\"")
                    .setting("protected-mode yes")
                    // SIGTERM and wait: Redis flushes its AOF on a clean shutdown, SIGKILL could lose the last second.
                    .onShutdownForceStop(false)
                    .build();
            server.start();
            log.info("Redis started on 127.0.0.1:{} with data in {}", port, dataDir.toAbsolutePath());
            return new LocalRedisServer(server, port, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a local Redis server in " + dataDir, e);
        }
    }

    private static ExecutableProvider executable() {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server");
        } catch (FileNotFoundException e) {
            return ExecutableProvider.newJarResourceProvider();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isActive() {
        return server.isActive();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            log.warn("Redis on port {} did not stop cleanly: {}", port, e.getMessage());
        }
    }
}
