package io.otaedge.faults;

import io.otaedge.common.redis.LocalRedisServer;
import io.otaedge.control.ControlMain;
import io.otaedge.edge.EdgeMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The system as deployed, in separate processes on loopback: one {@code redis-server} (AOF, the launcher the
 * standalone uses), control ({@link ControlMain}) and any number of edges ({@link EdgeMain}) sharing control's
 * blob directory, each on fixed ports so that a restarted process comes back where its clients look for it.
 */
final class SplitSystem implements AutoCloseable {

    static final String ADMIN_KEY = "faults-admin-key-5e1c0a97d3b2f846";
    static final String SECRET = "faults-internal-secret-0123456789";
    static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Map<String, String> extra;
    private final int redisPort = freePort();
    private final int devicePort = freePort();
    private final int adminPort = freePort();
    private final Map<String, Edge> edges = new LinkedHashMap<>();
    private LocalRedisServer redis;
    private ServiceJvm control;

    /** One edge: its ports stay the same across restarts. */
    final class Edge {
        final String id;
        final int port = freePort();
        final int adminPort = freePort();
        ServiceJvm jvm;

        Edge(String id) {
            this.id = id;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        String ready() {
            return "http://127.0.0.1:" + adminPort + "/health/ready";
        }

        Edge start() throws Exception {
            Map<String, String> env = common();
            env.putAll(Map.of(
                    "OTA_EDGE_ID", id,
                    "OTA_EDGE_BIND", "127.0.0.1",
                    "OTA_EDGE_PORT", Integer.toString(port),
                    "OTA_EDGE_ADMIN_BIND", "127.0.0.1",
                    "OTA_EDGE_ADMIN_PORT", Integer.toString(adminPort),
                    "OTA_EDGE_PUBLIC_ADDRESS", "127.0.0.1:" + port,
                    "OTA_EDGE_CONTROL_URL", "http://127.0.0.1:" + SplitSystem.this.adminPort,
                    "OTA_EDGE_DEVICE_API_URL", "http://127.0.0.1:" + devicePort));
            jvm = ServiceJvm.start("edge " + id, EdgeMain.class, env, dir.resolve("edge-" + id + ".log")).awaitOk(ready(), START);
            return this;
        }

        void kill() throws InterruptedException {
            jvm.kill();
        }
    }

    private SplitSystem(Path dir, Map<String, String> extra) {
        this.dir = dir;
        this.extra = extra;
    }

    /** Redis and control, started; edges come with {@link #startEdge}. */
    static SplitSystem start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    /** As {@link #start(Path)}, with more {@code OTA_*} settings for control and every edge. */
    static SplitSystem start(Path dir, Map<String, String> extra) throws Exception {
        SplitSystem s = new SplitSystem(dir, extra);
        try {
            s.startRedis();
            s.startControl();
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>(Map.of(
                "OTA_REDIS_URI", "redis://127.0.0.1:" + redisPort + "/0",
                "OTA_BLOB_DIR", dir.resolve("blobs").toString(),
                "OTA_DATA_DIR", dir.toString(),
                "OTA_INTERNAL_SECRET", SECRET,
                "OTA_LOG_LEVEL", "INFO"));
        env.putAll(extra);
        return env;
    }

    void startRedis() {
        redis = LocalRedisServer.start(dir.resolve("redis"), redisPort);
    }

    /** SIGKILL to redis-server, as a crash or an OOM kill does; it writes nothing more. */
    void killRedis() {
        ProcessHandle.of(redis.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        redis.close(); // the process is gone: this only lets its data directory go
    }

    void startControl() throws Exception {
        Map<String, String> env = common();
        env.putAll(Map.of(
                "OTA_ADMIN_KEY", ADMIN_KEY,
                "OTA_CONTROL_BIND", "127.0.0.1",
                "OTA_CONTROL_PORT", Integer.toString(devicePort),
                "OTA_ADMIN_BIND", "127.0.0.1",
                "OTA_ADMIN_PORT", Integer.toString(adminPort),
                "OTA_EDGE_PUBLIC_ADDRESS", "127.0.0.1:1",
                "OTA_CATALOG_CACHE_TTL", "PT0S"));
        control = ServiceJvm.start("control", ControlMain.class, env, dir.resolve("control.log")).awaitOk(controlReady(), START);
    }

    void killControl() throws InterruptedException {
        control.kill();
    }

    Edge startEdge(String id) throws Exception {
        Edge edge = new Edge(id).start();
        edges.put(id, edge);
        return edge;
    }

    String controlReady() {
        return admin("/health/ready");
    }

    String admin(String path) {
        return "http://127.0.0.1:" + adminPort + path;
    }

    String device(String path) {
        return "http://127.0.0.1:" + devicePort + path;
    }

    String redisUri() {
        return "redis://127.0.0.1:" + redisPort;
    }

    Admin adminClient() {
        return new Admin(admin(""), ADMIN_KEY);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (Edge e : edges.values()) {
            if (e.jvm != null) {
                e.jvm.close();
            }
        }
        if (control != null) {
            control.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    Path dir() {
        return dir;
    }
}
