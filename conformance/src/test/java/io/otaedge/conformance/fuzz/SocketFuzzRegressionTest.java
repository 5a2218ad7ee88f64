package io.otaedge.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.conformance.ConformanceSystem;
import io.otaedge.conformance.fuzz.FuzzInput.Framing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs {@link SocketFuzzTest} found, replayed every run under {@link WireClient}'s rules (answered, below 500,
 * no hang, a close only after an answer that ends the connection). A test's name starts with who fixes it
 * ({@code limits}, {@code edgefix}: other parts of issue #13; {@code unassigned}: found here, not yet given to
 * anyone) until the fix is merged; {@link KnownFailure} keeps the random run from failing on them again.
 */
class SocketFuzzRegressionTest {

    @TempDir
    static Path data;
    static ConformanceSystem system;
    static FuzzCorpus corpus;

    @BeforeAll
    static void start() throws Exception {
        system = ConformanceSystem.start(data);
        corpus = FuzzCorpus.setUp(system);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Issue #13: "/%", "/{}", "/a|b" get 500 with an empty body on the device port, and on the admin port with a valid key. */
    @Test
    void limitsBadPercentEscapeOrCharacterInAControlPathIsNot500() {
        List<String> failures = new ArrayList<>();
        for (String path : new String[] {"/%", "/{}", "/a|b", "/ota/south/check%", "/v1/ota/%e9%", "/living/ota/progress/get%zz"}) {
            judge(failures, system.devicePort(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            judge(failures, system.adminPort(), "GET /admin/v1/products" + path + " HTTP/1.1\r\nAuthorization: Bearer "
                    + system.standalone().adminKey() + "\r\n\r\n");
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A '[' or ']' in a control path was a 500 with an empty body (the routing's URI parser throws on it): found by
     * {@link SocketFuzzTest} at 10,000 requests. RFC 3986 allows them only around an IPv6 host: 400 in a path; in a
     * query, where lenient clients send {@code a[]=1}, they are read as {@code %5B}/{@code %5D}.
     */
    @Test
    void bracketsInAControlPathAre400AndInAQueryAreNot500() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String path : new String[] {"/ota/]south/check", "/v1[/ota/", "/living;x=1/ota/]progress/list"}) {
            judge(failures, system.devicePort(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            judge(failures, system.adminPort(), "GET /admin/v1/products" + path + " HTTP/1.1\r\nAuthorization: Bearer "
                    + system.standalone().adminKey() + "\r\n\r\n");
        }
        judge(failures, system.devicePort(), "GET /api/v1/ota/device/?product_id=fuzz-box&x[]=1&y=]&wifi_version=1.0.0&mcu_version=1.0.0"
                + "&device_id=dev-1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(failures).isEmpty();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", system.devicePort())) {
            socket.getOutputStream().write("GET /ota/]south/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("']'");
        }
    }

    /** Netty's date parser throws beyond 64 characters; the request is never answered (issue #13's If-Range finding). */
    @Test
    void edgefixDateFieldsLongerThan64CharactersAreAnswered() {
        List<String> failures = new ArrayList<>();
        String token = token();
        String longDate = "Sun, 06 Nov 1994 08:49:37 GMT" + "x".repeat(40);
        for (String field : new String[] {"If-Modified-Since", "If-Unmodified-Since", "If-Range"}) {
            judge(failures, system.edgePort(), "GET /ota/download/" + token + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n"
                    + field + ": " + longDate + "\r\n\r\n");
        }
        assertThat(failures).isEmpty();
    }

    /** A LuatOS request control refuses (here a malformed firmware_name) is 503 "token store unavailable, retry". */
    @Test
    void edgefixALuatosRequestControlRefusesIsNot503() {
        List<String> failures = new ArrayList<>();
        judge(failures, system.edgePort(), "GET /api/site/firmware_upgrade?project_key=59&firmware_name=?fuzz-box_LuatOS-SoC_EC618"
                + "&version=1.0.0&imei=861551056400001 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(failures).isEmpty();
    }

    /**
     * The status line repeated the request's version ("HTTP/9.9 400", "HTTP/0.9 400"), which
     * HTTP/1.x clients refuse to parse. RFC 9110 §6.2: HTTP/1.1 always; a major other than 1 gets 505, HTTP/1.0 its own keep-alive rule.
     */
    @Test
    void ctlframingControlAnswersHttp11WhicheverVersionTheRequestNamed() {
        List<String> failures = new ArrayList<>();
        for (String version : new String[] {"HTTP/1.2", "HTTP/9.9", "HTTP/0.9", "HTTP/1.0"}) {
            judge(failures, system.devicePort(), "GET /v1/ota/ " + version + "\r\nHost: x\r\n\r\n");
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A request answered from its head (405), whose chunked body then breaks: Netty's decoder drops everything after,
     * so the pipelined GET cannot be answered; the edge kept the connection open until "edgechunk" made it close
     * after the answers owed ({@code edge/…/http/DownloadHandlerBrokenBodyTest}).
     */
    @Test
    void edgechunkTheEdgeClosesAfterABrokenChunkedBody() {
        List<String> failures = new ArrayList<>();
        judgePipelined(failures, system.edgePort(), "POST /ota/download/" + token() + " HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2zz\r\nab\r\n0\r\n\r\nGET /ota/download/" + token() + " HTTP/1.1\r\nHost: x\r\n\r\n", 2);
        assertThat(failures).isEmpty();
    }

    private static String token() {
        String target = corpus.edgeProbe.target;
        return target.substring(target.lastIndexOf('/') + 1);
    }

    private static void judge(List<String> failures, int port, String request) {
        judgePipelined(failures, port, request, 1);
    }

    private static void judgePipelined(List<String> failures, int port, String requests, int count) {
        byte[] bytes = requests.getBytes(StandardCharsets.ISO_8859_1);
        List<Boolean> heads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            heads.add(false);
        }
        try (WireClient client = new WireClient(port)) {
            String verdict = client.judge(new FuzzInput(bytes, heads, Framing.COMPLETE, false, "regression", List.of()));
            if (verdict != null) {
                failures.add(verdict + " ← " + requests.lines().findFirst().orElse(""));
            }
        }
    }
}
