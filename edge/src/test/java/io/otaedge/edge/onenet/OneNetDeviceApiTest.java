package io.otaedge.edge.onenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.otaedge.common.blob.BlobInfo;
import io.otaedge.edge.EdgeFixture;
import io.otaedge.edge.RawHttp;
import io.otaedge.edge.control.ControlHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge fronting OneNET's device API: the listed calls reach a real loopback HTTP server standing in
 * for control's device port, exactly as the device sent them (plus {@code X-Forwarded-For}), and its
 * answer comes back (with its Retry-After); downloads stay on the edge; control unreachable or silent, refusing
 * the edge (401/403) or failing without OneNET's envelope (5xx) is OneNET's errno 7, in time, never a hang.
 */
class OneNetDeviceApiTest {

    static final String CHECK_BODY = "{\"dev_id\":6523,\"manuf\":\"China Mobile\",\"model\":\"M5310\",\"type\":1,"
            + "\"version\":\"1.2\",\"cdn\":false}";
    static final String AUTH = "version=2018-10-31&res=products%2Fp1&et=4102444800&method=sha1&sign=abc%3D";
    static final String ERRNO_7 = "{\"errno\":7,\"error\":\"internal error\",\"data\":{}}";

    @TempDir
    static Path dir;
    static StandIn control;
    static EdgeFixture edge;

    @BeforeAll
    static void start() throws IOException {
        control = new StandIn();
        edge = EdgeFixture.fronting(dir, Map.of(), api(control.port(), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        edge.close();
        control.close();
    }

    @BeforeEach
    void reset() {
        control.seen.clear();
        control.status = 200;
        control.reply = "{\"errno\":0,\"error\":\"succ\",\"data\":{}}";
        control.retryAfter = null;
    }

    static OneNetDeviceApi api(int port, Duration timeout) {
        return new OneNetDeviceApi(new ControlHttpClient(() -> URI.create("http://127.0.0.1:" + port), timeout));
    }

    static RawHttp.Response call(EdgeFixture on, String method, String target, String body, String... headers)
            throws IOException {
        try (RawHttp c = new RawHttp(on.port())) {
            return c.send(request(method, target, body, headers)).read();
        }
    }

    static byte[] request(String method, String target, String body, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: edge\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            b.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + bytes.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    @Test
    void theCheckReachesControlAsSentAndControlsAnswerComesBack() throws Exception {
        control.reply = "{\"errno\":11,\"error\":\"no upgrade task of this type for the device\",\"data\":{}}";
        RawHttp.Response r = call(edge, "POST", "/ota/south/check?trace=1", CHECK_BODY,
                "Authorization: " + AUTH, "Content-Type: application/json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(control.reply);
        assertThat(r.headerLines()).contains("Content-Length: " + control.reply.length(),
                "Content-Type: application/json");
        Seen s = control.seen.poll(5, TimeUnit.SECONDS);
        assertThat(s).isNotNull();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.target()).isEqualTo("/ota/south/check?trace=1");
        assertThat(s.authorization()).isEqualTo(AUTH);
        assertThat(s.contentType()).isEqualTo("application/json");
        assertThat(s.body()).isEqualTo(CHECK_BODY);
        assertThat(s.forwardedFor()).isEqualTo("127.0.0.1");
    }

    @Test
    void everyListedOneNetCallIsForwardedWithItsQuery() throws Exception {
        String[][] calls = {
                {"GET", "/ota/south/check?dev_id=6523&manuf=100&model=10001&type=1&version=1.2", null},
                {"GET", "/ota/south/download/ota_5hc95SFeo5xJEnaNrste/check?dev_id=6523", null},
                {"POST", "/ota/south/device/download/ota_5hc95SFeo5xJEnaNrste/progress?dev_id=6523", "{\"step\":50}"},
                {"POST", "/ota/south/report?dev_id=6523&token=ota_5hc95SFeo5xJEnaNrste", "{\"result\":101}"},
                {"POST", "/ota/device/version?dev_id=6523", "{\"f_version\":\"1.3\",\"s_version\":\"1.0\"}"},
                {"GET", "/ota/device/version?dev_id=6523", null},
        };
        for (String[] c : calls) {
            RawHttp.Response r = call(edge, c[0], c[1], c[2], "Authorization: " + AUTH);
            assertThat(r.status()).as(c[1]).isEqualTo(200);
            Seen s = control.seen.poll(5, TimeUnit.SECONDS);
            assertThat(s).as(c[1]).isNotNull();
            assertThat(s.method() + " " + s.target()).isEqualTo(c[0] + " " + c[1]);
            assertThat(s.body()).isEqualTo(c[2] == null ? "" : c[2]);
        }
    }

    @Test
    void controlsStatusIsPassedOn() throws Exception {
        control.status = 404;
        control.reply = "{\"error\":\"not_found\"}";
        RawHttp.Response r = call(edge, "GET", "/ota/device/version?dev_id=1", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("{\"error\":\"not_found\"}");
    }

    @Test
    void controlRefusingTheEdgeIsErrno7NotItsOwnRefusal() throws Exception {
        // Control's device port never answers 401/403 to a device (OneNET's auth failures are errno 1 in a
        // 200): the edge forwards to a port that asks for credentials, e.g. control's operator port.
        for (int status : new int[] {401, 403}) {
            control.status = status;
            control.reply = "{\"error\":\"unauthorized\",\"message\":\"send the admin key\"}";
            RawHttp.Response r = call(edge, "GET", "/ota/south/check?dev_id=1", null, "Authorization: " + AUTH);
            assertThat(r.status()).as("%d", status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(ERRNO_7);
        }
    }

    @Test
    void control5xxWithoutOneNetsEnvelopeIsErrno7() throws Exception {
        for (String body : new String[] {"", "<html>bad gateway</html>", "{\"error\":\"internal\"}"}) {
            control.status = 500;
            control.reply = body;
            RawHttp.Response r = call(edge, "POST", "/ota/south/check", CHECK_BODY, "Authorization: " + AUTH);
            assertThat(r.status()).as(body).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(ERRNO_7);
        }
    }

    @Test
    void control5xxInOneNetsEnvelopeIsPassedOnWithItsRetryAfter() throws Exception {
        control.status = 503;
        control.reply = "{\"errno\":7,\"error\":\"internal error\",\"data\":{\"retry\":3}}";
        control.retryAfter = "30";
        RawHttp.Response r = call(edge, "GET", "/ota/south/check?dev_id=1", null, "Authorization: " + AUTH);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).isEqualTo(control.reply);
        assertThat(r.headerLines()).contains("Retry-After: 30");
    }

    @Test
    void aProxysForwardedForIsKeptAndTheDeviceAppended() throws Exception {
        call(edge, "GET", "/ota/device/version?dev_id=1", null, "X-Forwarded-For: 203.0.113.7");
        assertThat(control.seen.poll(5, TimeUnit.SECONDS).forwardedFor()).isEqualTo("203.0.113.7, 127.0.0.1");
    }

    @Test
    void oneDeviceConnectionsCallsShareOneKeptAliveConnectionToControl() throws Exception {
        try (RawHttp c = new RawHttp(edge.port())) {
            c.send(request("GET", "/ota/device/version?dev_id=1", null));
            assertThat(c.read().status()).isEqualTo(200);
            c.send(request("POST", "/ota/south/check", CHECK_BODY, "Authorization: " + AUTH));
            assertThat(c.read().status()).isEqualTo(200);
        }
        Seen first = control.seen.poll(5, TimeUnit.SECONDS);
        Seen second = control.seen.poll(5, TimeUnit.SECONDS);
        assertThat(second.remotePort()).isEqualTo(first.remotePort());
    }

    @Test
    void aBodyOverTheCapIsErrno2AndNotForwarded() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(ControlHttpClient.MAX_BODY) + "\"}";
        try (RawHttp c = new RawHttp(edge.port())) {
            c.send(request("POST", "/ota/south/check", big, "Authorization: " + AUTH));
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("{\"errno\":2,\"error\":\"request parameter error\",\"data\":{}}");
            // The body was read to its end: the connection goes on.
            c.send(request("GET", "/ota/device/version?dev_id=1", null));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(control.seen.poll(5, TimeUnit.SECONDS).target()).isEqualTo("/ota/device/version?dev_id=1");
        assertThat(control.seen).isEmpty();
    }

    @Test
    void pathsOutsideTheListAreNotForwarded() throws Exception {
        for (String target : new String[] {"/ota/south/checks", "/ota/south/download/ota_x/checked",
                "/ota/south/device/download/ota_x/progress/1", "/admin/v1/products", "/internal/v1/blobs/ab"}) {
            assertThat(call(edge, "GET", target, null).status()).as(target).isEqualTo(404);
        }
        assertThat(control.seen).isEmpty();
    }

    @Test
    void downloadsStayOnTheEdge() throws Exception {
        byte[] firmware = EdgeFixture.randomBytes(4096, 12);
        BlobInfo blob = edge.storeBlob(firmware);
        String token = edge.grant(blob, "m5311.bin", Duration.ofMinutes(5));
        RawHttp.Response r = call(edge, "GET", "/ota/south/download/" + token + "?s_id=1", null, "Range: bytes=0-99");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOf(firmware, 100));
        assertThat(call(edge, "GET", "/ota/download/" + token, null).body()).isEqualTo(firmware);
        assertThat(control.seen).isEmpty();
    }

    @Test
    void controlUnreachableIsErrno7() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (EdgeFixture lonely = EdgeFixture.fronting(dir.resolve("lonely"), Map.of(), api(closed, Duration.ofSeconds(5)))) {
            RawHttp.Response r = call(lonely, "POST", "/ota/south/check", CHECK_BODY, "Authorization: " + AUTH);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo(ERRNO_7);
            assertThat(r.headerLines()).contains("Content-Type: application/json", "Content-Length: " + ERRNO_7.length());
        }
    }

    @Test
    void controlSilentIsErrno7AfterTheTimeout() throws Exception {
        try (StandIn silent = new StandIn();
             EdgeFixture waiting = EdgeFixture.fronting(dir.resolve("waiting"), Map.of(),
                     api(silent.port(), Duration.ofMillis(500)))) {
            silent.hang = true;
            long started = System.nanoTime();
            RawHttp.Response r = call(waiting, "GET", "/ota/south/check?dev_id=1", null);
            assertThat(r.bodyText()).isEqualTo(ERRNO_7);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void offWithoutADeviceApiThePathsAre404() throws Exception {
        try (EdgeFixture plain = EdgeFixture.start(dir.resolve("plain"))) {
            assertThat(call(plain, "POST", "/ota/south/check", CHECK_BODY).status()).isEqualTo(404);
            assertThat(call(plain, "GET", "/ota/device/version?dev_id=1", null).status()).isEqualTo(404);
        }
    }

    record Seen(String method, String target, String authorization, String contentType, String forwardedFor,
                String body, int remotePort) {
    }

    /** A real loopback HTTP server standing in for control's device port: records each call, answers as told. */
    static final class StandIn implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        final CountDownLatch closing = new CountDownLatch(1);
        volatile int status = 200;
        volatile String reply = "{}";
        volatile String retryAfter;
        volatile boolean hang;

        StandIn() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange x) throws IOException {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(),
                    x.getRequestHeaders().getFirst("Authorization"), x.getRequestHeaders().getFirst("Content-Type"),
                    x.getRequestHeaders().getFirst("X-Forwarded-For"), body, x.getRemoteAddress().getPort()));
            if (hang) {
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            if (retryAfter != null) {
                x.getResponseHeaders().set("Retry-After", retryAfter);
            }
            x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            x.getResponseBody().write(out);
            x.close();
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
        }
    }
}
