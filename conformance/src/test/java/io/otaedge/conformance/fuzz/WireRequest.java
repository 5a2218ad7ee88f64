package io.otaedge.conformance.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request the fuzzer can still edit part by part: request line, header lines in order (names and values as
 * sent, duplicates allowed), body. {@link #bytes()} writes it with CRLF line ends; {@code Content-Length} is
 * kept as given, so a mutation decides whether it still matches the body.
 */
final class WireRequest {

    String method;
    String target;
    String version;
    final List<String[]> headers = new ArrayList<>();
    byte[] body;

    WireRequest(String method, String target, String version, byte[] body) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.body = body;
    }

    /** A request with {@code Content-Length} set to its body's length when it has a body. */
    static WireRequest of(String method, String target, String body, String... nameValues) {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        WireRequest r = new WireRequest(method, target, "HTTP/1.1", b);
        for (int i = 0; i < nameValues.length; i += 2) {
            r.headers.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        if (body != null) {
            r.headers.add(new String[] {"Content-Length", Integer.toString(b.length)});
        }
        return r;
    }

    WireRequest copy() {
        WireRequest r = new WireRequest(method, target, version, body.clone());
        for (String[] h : headers) {
            r.headers.add(h.clone());
        }
        return r;
    }

    /** The index of the first header named {@code name} (case-insensitive), or -1. */
    int header(String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i)[0].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    void set(String name, String value) {
        int i = header(name);
        if (i < 0) {
            headers.add(new String[] {name, value});
        } else {
            headers.get(i)[1] = value;
        }
    }

    /** Replaces the body and keeps {@code Content-Length} true (added when absent). */
    void body(byte[] b) {
        body = b;
        set("Content-Length", Integer.toString(b.length));
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + (version.isEmpty() ? "" : " " + version) + "\r\n");
        for (String[] h : headers) {
            write(out, h[0] + ":" + (h[1].isEmpty() ? "" : " " + h[1]) + "\r\n");
        }
        write(out, "\r\n");
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Latin-1 so a char is a byte: mutations put raw bytes into names and values through chars 0x80–0xff. */
    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
