package io.otaedge.conformance.fuzz;

import io.otaedge.conformance.fuzz.FuzzInput.Framing;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends {@link FuzzInput}s to one port and judges what comes back, as a device would: every whole request is
 * answered with a whole, well-formed response below 500 (or 505 to a request naming an HTTP major version other than 1); the connection may close only after an answer that
 * ends it (a 4xx, {@code Connection: close}, or a request that asked for the close); a cut-short request may go
 * unanswered but must not hang or earn a 5xx. Each input gets its own connection, so a failure replays from its
 * input alone; pipelined inputs exercise a kept-alive connection.
 */
final class WireClient implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 3_000;
    private static final int MAX_HEAD = 64 * 1024;
    /** A request line naming an HTTP major version other than 1: 505 is its right answer (RFC 9110 §15.6.6). */
    private static final java.util.regex.Pattern OTHER_MAJOR = java.util.regex.Pattern.compile("(?m) HTTP/(?!1\\.)[0-9][^ \r\n]*\r?$");

    private final int port;
    private Socket socket;
    private InputStream in;

    WireClient(int port) {
        this.port = port;
    }

    /** Null when the server behaved, else what went wrong. */
    String judge(FuzzInput input) {
        try {
            connect();
            return exchange(input);
        } catch (IOException e) {
            return "client error: " + e;
        } finally {
            close();
        }
    }

    private String exchange(FuzzInput input) throws IOException {
        OutputStream out = socket.getOutputStream();
        boolean writeFailed = false;
        try {
            out.write(input.bytes());
            out.flush();
            if (input.framing() == Framing.INCOMPLETE) {
                socket.shutdownOutput();
            }
        } catch (SocketException e) {
            writeFailed = true;
        }
        int expected = switch (input.framing()) {
            case COMPLETE -> input.heads().size();
            case TRAILING -> 1;
            case INCOMPLETE -> Integer.MAX_VALUE;
        };
        int answered = 0;
        Response last = null;
        while (answered < expected) {
            Response r;
            try {
                r = read(answered < input.heads().size() && input.heads().get(answered));
            } catch (SocketTimeoutException e) {
                close();
                return answered == 0 ? "no answer within " + READ_TIMEOUT_MS + " ms" : "answer " + (answered + 1) + " never came";
            } catch (SocketException reset) {
                close();
                if (input.oversize() || writeFailed || input.framing() == Framing.INCOMPLETE) {
                    return null;
                }
                if (input.heads().size() > 1) {
                    // The server closed after a refusal or a request that asked to close, with pipelined bytes still
                    // unread: the kernel's reset may discard the last answer (no lingering close, RFC 9112 §9.6).
                    return null;
                }
                return "connection reset after " + answered + " answer(s): " + reset.getMessage();
            } catch (Malformed e) {
                close();
                return "malformed answer: " + e.getMessage();
            }
            if (r == null) {
                close();
                if (input.framing() == Framing.INCOMPLETE || (answered == 0 && (input.oversize() || writeFailed))) {
                    return null;
                }
                if (answered == 0) {
                    return "the connection closed without any answer";
                }
                if (!last.endsConnection()) {
                    return "the connection closed after " + answered + " of " + expected
                            + " answers, the last (" + last.status + ") not saying so";
                }
                return null;
            }
            if (r.status >= 500 && !(r.status == 505 && OTHER_MAJOR.matcher(new String(input.bytes(), StandardCharsets.ISO_8859_1)).find())) {
                close();
                return "status " + r.status + ": " + r.preview();
            }
            answered++;
            last = r;
            if (r.closesAfter) {
                return null;
            }
        }
        return null;
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** One response (interim 1xx answers skipped), or null when the connection ends before its first byte. */
    private Response read(boolean head) throws IOException {
        while (true) {
            String headText = readHead();
            if (headText == null) {
                return null;
            }
            Response r = Response.parse(headText);
            if (r.status >= 100 && r.status < 200) {
                if (r.status == 101) {
                    throw new Malformed("101 Switching Protocols");
                }
                continue;
            }
            if (head || r.status == 204 || r.status == 304) {
                return r;
            }
            String te = r.header("transfer-encoding");
            String cl = r.header("content-length");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                readChunked();
            } else if (cl != null) {
                long n;
                try {
                    n = Long.parseLong(cl.trim());
                } catch (NumberFormatException e) {
                    throw new Malformed("Content-Length " + cl);
                }
                r.body = readExactly(n);
            } else {
                r.body = readToEnd();
                r.closesAfter = true;
            }
            return r;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new Malformed("the connection closed inside a response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new Malformed("a response head over " + MAX_HEAD + " bytes");
            }
            state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] readExactly(long n) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (k < 0) {
                throw new Malformed("the connection closed " + left + " bytes before the end of a body of " + n);
            }
            if (body.size() < 512) {
                body.write(buf, 0, Math.min(k, 512));
            }
            left -= k;
        }
        return body.toByteArray();
    }

    private byte[] readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int k;
        while ((k = in.read(buf)) >= 0) {
            if (body.size() < 512) {
                body.write(buf, 0, Math.min(k, 512));
            }
        }
        return body.toByteArray();
    }

    private void readChunked() throws IOException {
        while (true) {
            String line = readLine();
            int semi = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new Malformed("chunk size " + line);
            }
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return;
            }
            readExactly(size);
            if (!readLine().isEmpty()) {
                throw new Malformed("no CRLF after a chunk");
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new Malformed("the connection closed inside a chunked body");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** A response's status and head; whether the server said it closes the connection after it. */
    static final class Response {
        final int status;
        final String head;
        byte[] body = new byte[0];
        boolean closesAfter;

        private Response(int status, String head) {
            this.status = status;
            this.head = head;
        }

        static Response parse(String head) throws Malformed {
            if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
                throw new Malformed("status line: " + head.lines().findFirst().orElse(""));
            }
            try {
                Response r = new Response(Integer.parseInt(head.substring(9, 12)), head);
                String connection = r.header("connection");
                String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
                // HTTP/1.0 closes unless it says keep-alive
                r.closesAfter = c.contains("close") || (head.startsWith("HTTP/1.0") && !c.contains("keep-alive"));
                return r;
            } catch (NumberFormatException e) {
                throw new Malformed("status line: " + head.lines().findFirst().orElse(""));
            }
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** A refusal or an announced close: the server may end the connection after it. */
        boolean endsConnection() {
            return closesAfter || status >= 400;
        }

        String preview() {
            String text = head + new String(body, StandardCharsets.UTF_8);
            return text.length() > 600 ? text.substring(0, 600) + "…" : text;
        }
    }
}
