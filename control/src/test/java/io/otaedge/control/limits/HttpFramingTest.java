package io.otaedge.control.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.otaedge.control.ControlHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control's HTTP/1.x framing on the device port, over a raw socket: the status line says HTTP/1.1 whatever later
 * 1.x version the request named (a major other than 1: 505 and a close; RFC 9110 §6.2, §15.6.6), HTTP/1.0 is
 * answered in 1.0 and closed (found by the socket fuzzer, issue #13).
 */
class HttpFramingTest {

    private static final Pattern STATUS_LINE = Pattern.compile("(HTTP/\\d\\.\\d) (\\d{3}) ");

    private static ControlHarness h;

    @BeforeAll
    static void start() {
        h = new ControlHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aMajorVersionOtherThanOneIs505InHttp11AndCloses() {
        for (String version : new String[] {"HTTP/0.9", "HTTP/2.0", "HTTP/9.9"}) {
            String answer = untilClosed("GET /v1/ota/ " + version + "\r\nHost: x\r\n\r\n");
            assertThat(answer).as(version).startsWith("HTTP/1.1 505 ").contains("Connection: close");
            assertThat(answer).as(version).contains("is not supported");
        }
    }

    @Test
    void aLaterMinorIsAnsweredAsHttp11AndKeptAlive() {
        String answers = untilClosed("GET /nothing HTTP/1.2\r\nHost: x\r\n\r\n"
                + "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(statusLines(answers)).containsExactly("HTTP/1.1 404", "HTTP/1.1 404");
    }

    @Test
    void http10IsAnsweredOnceIn10AndClosed() {
        // reactor-netty answers a 1.0 request in HTTP/1.0, which RFC 9110 §6.2 allows a 1.0 client.
        assertThat(statusLines(untilClosed("GET /nothing HTTP/1.0\r\n\r\nGET /nothing HTTP/1.0\r\n\r\n")))
                .containsExactly("HTTP/1.0 404");
        String kept = untilClosed("GET /nothing HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET /nothing HTTP/1.0\r\n\r\n");
        // Asked to keep alive, it is still closed, and its HTTP/1.0 answer says so by not saying keep-alive.
        assertThat(statusLines(kept)).as(kept).containsExactly("HTTP/1.0 404");
        assertThat(kept.toLowerCase(java.util.Locale.ROOT)).doesNotContain("keep-alive");
    }

    private static List<String> statusLines(String answers) {
        List<String> lines = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(answers);
        while (m.find()) {
            lines.add(m.group(1) + " " + m.group(2));
        }
        return lines;
    }

    /** Everything the device port writes back until it closes the connection (a hang fails on the read timeout). */
    private static String untilClosed(String requests) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), h.server.devicePort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
