package io.otaedge.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A device's HTTP as its firmware does it: the request is the exact bytes the client's code writes (header
 * names, case, order, spacing), and the answer is kept as the bytes that arrived, for the client's own way
 * of reading them. No HTTP library in between, so nothing is normalised on either side.
 */
public final class RawHttp {

    private static final int TIMEOUT_MS = 10_000;

    private RawHttp() {
    }

    /** Joins header lines with CRLF and ends the head with an empty line; {@code body} follows as is. */
    public static byte[] request(String body, String... headLines) {
        StringBuilder sb = new StringBuilder();
        for (String line : headLines) {
            sb.append(line).append("\r\n");
        }
        sb.append("\r\n");
        if (body != null) {
            sb.append(body);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code request} on a fresh connection and reads one whole answer: the head, then
     * {@code Content-Length} bytes of body, or, without a length, until the server closes.
     */
    public static RawResponse exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s.getInputStream(), Integer.MAX_VALUE, isHead(request));
        }
    }

    /**
     * As {@link #exchange}, but the connection is cut after {@code cutAfterBodyBytes} bytes of body (a dropped
     * NB-IoT link); the answer holds what arrived before the cut.
     */
    public static RawResponse exchangeCut(int port, byte[] request, int cutAfterBodyBytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s.getInputStream(), cutAfterBodyBytes, isHead(request));
        }
    }

    private static boolean isHead(byte[] request) {
        return new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).equals("HEAD ");
    }

    private static RawResponse read(InputStream in, int maxBody, boolean headRequest) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int headEnd = -1;
        long want = -1;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new IOException("no complete answer within " + TIMEOUT_MS + " ms; got "
                        + all.size() + " bytes: " + preview(all.toByteArray()), e);
            }
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
            byte[] sofar = all.toByteArray();
            if (headEnd < 0) {
                headEnd = RawResponse.indexOf(sofar, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
                if (headEnd >= 0) {
                    RawResponse head = RawResponse.parse(sofar, headEnd);
                    String len = head.headerIgnoringCase("Content-Length");
                    want = len == null ? -1 : Long.parseLong(len.trim());
                    if (headRequest || head.status() == 304 || head.status() == 204) {
                        want = 0;
                    }
                }
            }
            if (headEnd >= 0) {
                long body = sofar.length - (headEnd + 4);
                if ((want >= 0 && body >= want) || body >= maxBody) {
                    break;
                }
            }
        }
        byte[] bytes = all.toByteArray();
        if (headEnd < 0) {
            throw new IOException("the connection closed before a whole response head: " + preview(bytes));
        }
        return RawResponse.parse(bytes, headEnd);
    }

    private static String preview(byte[] b) {
        return new String(b, 0, Math.min(b.length, 400), StandardCharsets.ISO_8859_1);
    }
}
