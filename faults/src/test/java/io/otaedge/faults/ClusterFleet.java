package io.otaedge.faults;

import io.otaedge.control.ControlMain;
import io.otaedge.edge.EdgeMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several controls and edges as separate processes on one Redis (a cluster URI or a node's), sharing one blob
 * directory as a ReadWriteMany volume does: every control writes uploads there and every edge reads them. Edge
 * {@code i} asks control {@code i % controls} (blob pulls, LuatOS decisions, OneNET's forwarded calls), so the
 * edges do not share a control either. Ports are fixed per process; {@link #close()} stops every process.
 */
final class ClusterFleet implements AutoCloseable {

    private final Path dir;
    private final String redisUri;
    final List<Control> controls = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();

    /** One control: its device and admin ports. */
    final class Control {
        final String name;
        final int devicePort = SplitSystem.freePort();
        final int adminPort = SplitSystem.freePort();
        ServiceJvm jvm;

        Control(String name) {
            this.name = name;
        }

        String device(String path) {
            return "http://127.0.0.1:" + devicePort + path;
        }

        String admin(String path) {
            return "http://127.0.0.1:" + adminPort + path;
        }

        Admin adminClient() {
            return new Admin(admin(""), SplitSystem.ADMIN_KEY);
        }

        private void start(Map<String, String> own) throws Exception {
            Map<String, String> env = common();
            env.putAll(Map.of(
                    "OTA_ADMIN_KEY", SplitSystem.ADMIN_KEY,
                    "OTA_CONTROL_BIND", "127.0.0.1",
                    "OTA_CONTROL_PORT", Integer.toString(devicePort),
                    "OTA_ADMIN_BIND", "127.0.0.1",
                    "OTA_ADMIN_PORT", Integer.toString(adminPort),
                    "OTA_EDGE_PUBLIC_ADDRESS", "127.0.0.1:1",
                    // What one control writes, the other reads at once (no catalog cache between them).
                    "OTA_CATALOG_CACHE_TTL", "PT0S"));
            env.putAll(own);
            jvm = ServiceJvm.start("control " + name, ControlMain.class, env, dir.resolve("control-" + name + ".log"));
        }
    }

    /** One edge: its download and admin ports, and the control it asks. */
    final class Edge {
        final String id;
        final Control control;
        final int port = SplitSystem.freePort();
        final int adminPort = SplitSystem.freePort();
        ServiceJvm jvm;

        Edge(String id, Control control) {
            this.id = id;
            this.control = control;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        private void start() throws Exception {
            Map<String, String> env = common();
            env.putAll(Map.of(
                    "OTA_EDGE_ID", id,
                    "OTA_EDGE_BIND", "127.0.0.1",
                    "OTA_EDGE_PORT", Integer.toString(port),
                    "OTA_EDGE_ADMIN_BIND", "127.0.0.1",
                    "OTA_EDGE_ADMIN_PORT", Integer.toString(adminPort),
                    "OTA_EDGE_PUBLIC_ADDRESS", "127.0.0.1:" + port,
                    "OTA_EDGE_CONTROL_URL", control.admin(""),
                    "OTA_EDGE_DEVICE_API_URL", control.device(""),
                    "OTA_EDGE_PROGRESS_FLUSH", "PT0.2S"));
            jvm = ServiceJvm.start("edge " + id, EdgeMain.class, env, dir.resolve("edge-" + id + ".log"));
        }

        void kill() throws InterruptedException {
            jvm.kill();
        }
    }

    private ClusterFleet(Path dir, String redisUri) {
        this.dir = dir;
        this.redisUri = redisUri;
    }

    /**
     * Starts {@code controlSettings.size()} controls (each with its own extra {@code OTA_*} settings) and
     * {@code edgeCount} edges, all processes at once, and returns when every one is ready.
     */
    static ClusterFleet start(Path dir, String redisUri, List<Map<String, String>> controlSettings, int edgeCount)
            throws Exception {
        ClusterFleet f = new ClusterFleet(dir, redisUri);
        try {
            for (int i = 0; i < controlSettings.size(); i++) {
                Control c = f.new Control(Integer.toString(i + 1));
                c.start(controlSettings.get(i));
                f.controls.add(c);
            }
            for (Control c : f.controls) {
                c.jvm.awaitOk(c.admin("/health/ready"), SplitSystem.START);
            }
            // Edges after controls: an edge reads control's blob endpoint and decision API from its start.
            for (int i = 0; i < edgeCount; i++) {
                Edge e = f.new Edge(Character.toString('a' + i), f.controls.get(i % f.controls.size()));
                e.start();
                f.edges.add(e);
            }
            for (Edge e : f.edges) {
                e.jvm.awaitOk("http://127.0.0.1:" + e.adminPort + "/health/ready", SplitSystem.START);
            }
            return f;
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>(Map.of(
                "OTA_REDIS_URI", redisUri,
                "OTA_BLOB_DIR", dir.resolve("blobs").toString(),
                "OTA_DATA_DIR", dir.toString(),
                "OTA_INTERNAL_SECRET", SplitSystem.SECRET,
                "OTA_LOG_LEVEL", "INFO"));
        return env;
    }

    @Override
    public void close() throws Exception {
        for (Edge e : edges) {
            if (e.jvm != null) {
                e.jvm.close();
            }
        }
        for (Control c : controls) {
            if (c.jvm != null) {
                c.jvm.close();
            }
        }
    }
}
