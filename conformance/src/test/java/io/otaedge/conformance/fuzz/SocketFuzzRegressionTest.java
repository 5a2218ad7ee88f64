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

    /**
     * A pipelined request asking to close ({@code Connection: close}, or HTTP/1.0) behind requests still in flight was
     * never answered and the connection stayed open (reactor-netty 1.3.7's pipelining queue; fixed in 1.3.8,
     * reactor/reactor-netty#4361, #4347).
     */
    @Test
    void aPipelinedRequestAskingToCloseIsAnsweredOnTheDevicePort() {
        List<String> failures = new ArrayList<>();
        judgePipelined(failures, system.devicePort(), "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.0\r\nHost: x\r\n\r\n", 3);
        judgePipelined(failures, system.devicePort(), "GET /v1/ota/ HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2);
        judgePipelined(failures, system.adminPort(), "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3);
        assertThat(failures).isEmpty();
    }

    /**
     * Control answered a request whose chunked body broke but kept the connection open, and the codec, which reads
     * nothing after a broken body, dropped the request pipelined behind it: that one waited for an answer forever.
     * Found by {@link SocketFuzzTest} (seed 1213, 10,000 requests); now control closes after the broken one's answer.
     */
    @Test
    void controlClosesAfterABrokenChunkedBody() throws Exception {
        String iotToken = system.admin("GET", "/admin/v1/products/" + FuzzCorpus.PRODUCT + "/aliyun-token", null, 200)
                .get("iotToken").asText();
        String list = "{\"id\":\"1\",\"version\":\"1.0\",\"request\":{\"apiVer\":\"1.0.0\",\"iotToken\":\"" + iotToken + "\"},\n"
                + " \"params\":{\"productKey\":\"fuzz-box\",\"deviceName\":\"dev-1\",\"moduleName\":\"default\",\"currentVersion\":\"1.0.0\"}}";
        String third = "[" + "1,".repeat(9000) + "1]";
        List<String> failures = new ArrayList<>();
        judgePipelined(failures, system.devicePort(), "POST /living/ota/progress/list HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: &3t%Ej,9-q0yY%`i~nl}~v*Y}C;uOMGKe*fjn4M/UHk,/kA4j^=&!]\r\nContent-Length: " + list.length()
                + "\r\n\r\n" + list
                + "POST /ota/device/version?dev_id=6523 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5zz\r\n{\"s_v\r\n0\r\n\r\n"
                + "POST /living/ota/progress/list HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + third.length() + "\r\nExpect: 100-continue\r\n\r\n" + third, 3);
        assertThat(failures).isEmpty();
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

    /**
     * The edge answered a GET from its head (206, keep-alive), then its chunked body broke and the edge closed
     * without having said so; now a request is answered at its end, so the answer says {@code Connection: close}.
     * Found by {@link SocketFuzzTest} with seed 7.
     */
    @Test
    void theEdgeAnswersARequestWhoseBodyBreaksWithConnectionClose() {
        List<String> failures = new ArrayList<>();
        judgePipelined(failures, system.edgePort(), "GET /ota/download/" + token() + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1023\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n4zz\r\nabcd\r\n0\r\n\r\n"
                + "GET /ota/download/" + token() + " HTTP/1.0\r\nHost: x\r\nConnection: Keepalive\r\nRange: bytes=0-1023\r\n\r\n", 2);
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
