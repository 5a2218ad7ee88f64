package io.otaedge.conformance.luatos;

import io.otaedge.conformance.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * LuatOS' HTTP client, {@code components/network/libhttp/luat_http_client.c} of {@code openLuat/LuatOS}
 * (commit f9601cc1274611b0804b208733dddf23073c4d07), as the bytes it writes and the way it reads an answer.
 * Every LuatOS fota library (libfota, libfota2) goes through it.
 *
 * <p>Writing ({@code http_set_url}, {@code http_send_message}): the URL is split after {@code http://} at
 * the first {@code /} (no path: {@code /}); the port follows a {@code :} in the host, else 80. Then
 * {@code <METHOD> <path and query as given> HTTP/1.1}, {@code Connection: Close}, {@code Host: <host>:<port>}
 * (always with the port), no User-Agent, no Accept. In Lua mode a repeated request after a broken answer
 * (the client's own retry) adds {@code Range: bytes=<received>-} right after Host. The C SDK's data mode
 * ({@code luat_http_client_start(…, data_mode=1)}) writes {@code Range: bytes=<offset+received>-} after
 * Host when resuming, the application's headers as {@code name:value} (no space), then
 * {@code Accept: application/octet-stream}.
 *
 * <p>Reading in fota mode (Lua's {@code http.request(…, {fota=true})}, the mode libfota/libfota2 use when
 * the firmware has a {@code fota} module): the head must end within the 2048-byte receive buffer
 * ({@code HTTP_RESP_BUFF_SIZE} of small builds), else {@code HTTP_ERROR_RX}; a status other than 200 or 206
 * stops at the head with {@code HTTP_ERROR_FOTA} (-9) and an empty body; the length is the first header
 * whose name starts with {@code Content-Length} in any case ({@code strncasecmp}), read with {@code atoi};
 * without one the body counts as complete at once (an empty upgrade); a body shorter than the length when
 * the link ends is {@code HTTP_ERROR_FOTA}; otherwise Lua gets code 200 (a 206 is reported as 200) and
 * the number of bytes written to flash.
 */
final class LuatHttpClient {

    /** {@code HTTP_RESP_BUFF_SIZE} on the smaller builds: the whole head must fit in it. */
    static final int RESP_BUFF_SIZE = 2048;
    static final int HTTP_ERROR_RX = -6;
    static final int HTTP_ERROR_FOTA = -9;

    private LuatHttpClient() {
    }

    /** Where {@code http_set_url} sends a URL: host, port and the request target. */
    record Target(String host, int port, String path) {

        static Target of(String url) {
            String rest;
            int defaultPort;
            if (url.startsWith("https://")) {
                rest = url.substring("https://".length());
                defaultPort = 443;
            } else if (url.startsWith("http://")) {
                rest = url.substring("http://".length());
                defaultPort = 80;
            } else {
                throw new IllegalArgumentException("only http/https supported: " + url);
            }
            int slash = rest.indexOf('/');
            String host = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "/" : rest.substring(slash);
            int port = defaultPort;
            int colon = host.indexOf(':', 1);
            if (colon > 0) {
                port = Integer.parseInt(host.substring(colon + 1));
                host = host.substring(0, colon);
            }
            return new Target(host, port, path);
        }
    }

    /** Lua mode's request; {@code retryFrom} above -1 is the client's own retry, which asks for the rest. */
    static byte[] luaRequest(String method, Target t, long retryFrom) {
        StringBuilder sb = new StringBuilder()
                .append(method).append(' ').append(t.path()).append(" HTTP/1.1\r\n")
                .append("Connection: Close\r\n")
                .append("Host: ").append(t.host()).append(':').append(t.port()).append("\r\n");
        if (retryFrom >= 0) {
            sb.append("Range: bytes=").append(retryFrom).append("-\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The C SDK's GET in data mode; {@code resumeFrom} above 0 (its offset plus what it received) adds Range. */
    static byte[] dataModeRequest(Target t, long resumeFrom) {
        StringBuilder sb = new StringBuilder()
                .append("GET ").append(t.path()).append(" HTTP/1.1\r\n")
                .append("Connection: Close\r\n")
                .append("Host: ").append(t.host()).append(':').append(t.port()).append("\r\n");
        if (resumeFrom > 0) {
            sb.append("Range: bytes=").append(resumeFrom).append("-\r\n");
        }
        return sb.append("Accept: application/octet-stream\r\n").append("\r\n").toString()
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * What Lua's {@code http.request(…).wait()} returns in fota mode: {@code code} (200, or a negative
     * client error), {@code bodyLength} (bytes written to flash; -1 when Lua gets an empty string instead),
     * and the bytes written.
     */
    record FotaRead(int code, long bodyLength, byte[] flashed) {

        /** The line the Lua http shim reads: {@code <code>\t<n|s>\t<body>}. */
        String replyLine() {
            return bodyLength < 0 ? code + "\ts\t" : code + "\tn\t" + bodyLength;
        }
    }

    /** Reads {@code r} (everything that arrived before the link ended) as the client's fota mode does. */
    static FotaRead readAsFota(RawResponse r) {
        if (r.headEnd() + 4 > RESP_BUFF_SIZE - 1) {
            return new FotaRead(HTTP_ERROR_RX, -1, new byte[0]);
        }
        if (r.status() != 200 && r.status() != 206) {
            return new FotaRead(HTTP_ERROR_FOTA, -1, new byte[0]);
        }
        long length = contentLength(r);
        if (length <= 0) {
            // No length: the body is "finally" complete at the head, nothing is written.
            return new FotaRead(200, 0, new byte[0]);
        }
        if (r.body().length < length) {
            return new FotaRead(HTTP_ERROR_FOTA, -1, new byte[0]);
        }
        return new FotaRead(200, length, Arrays.copyOf(r.body(), (int) length));
    }

    /** The first header named {@code Content-Length…} in any case, read as {@code atoi} reads; 0 without one. */
    static long contentLength(RawResponse r) {
        for (String line : r.headerLines()) {
            if (line.length() >= 14 && line.substring(0, 14).toLowerCase(Locale.ROOT).equals("content-length")) {
                int colon = line.indexOf(':');
                return colon < 0 ? 0 : atoi(line.substring(colon + 1));
            }
        }
        return 0;
    }

    private static long atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return v;
    }
}
