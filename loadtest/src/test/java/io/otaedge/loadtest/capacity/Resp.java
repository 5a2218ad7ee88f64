package io.otaedge.loadtest.capacity;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking RESP2 connection to one Redis node, for the measurement's own questions (INFO,
 * SCAN, MEMORY USAGE, MONITOR). Not the services' client: the probe must see each node as it is,
 * and its own commands must be few and known so they can be left out of the counts.
 */
final class Resp implements AutoCloseable {

    /** A Redis error reply. */
    static final class RedisError extends RuntimeException {
        RedisError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final RedisNode node;
    /** Bytes this connection sent and received (one writer each), so the probe's own traffic can be taken out of Redis' totals. */
    private volatile long sent;
    private volatile long received;

    private Resp(RedisNode node, Socket socket) throws IOException {
        this.node = node;
        this.socket = socket;
        InputStream raw = socket.getInputStream();
        this.in = new BufferedInputStream(new java.io.FilterInputStream(raw) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            }
        }, 1 << 16);
        this.out = socket.getOutputStream();
    }

    long bytesSent() {
        return sent;
    }

    long bytesReceived() {
        return received;
    }

    static Resp open(RedisNode node) {
        try {
            Socket s = node.tls() ? SSLSocketFactory.getDefault().createSocket() : new Socket();
            s.connect(new InetSocketAddress(node.host(), node.port()), 5_000);
            s.setSoTimeout(120_000);
            Resp r = new Resp(node, s);
            if (node.password() != null) {
                if (node.user() != null) {
                    r.call("AUTH", node.user(), node.password());
                } else {
                    r.call("AUTH", node.password());
                }
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Redis at " + node.host() + ":" + node.port(), e);
        }
    }

    /** The client address Redis sees for this connection ({@code ip:port}), as MONITOR names it. */
    String localAddress() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Sends one command and reads its reply: String, Long, List, null; an error reply throws. */
    Object call(String... args) {
        send(args);
        return read();
    }

    String text(String... args) {
        Object r = call(args);
        return r == null ? null : r.toString();
    }

    long number(String... args) {
        Object r = call(args);
        return r == null ? 0 : (Long) r;
    }

    void send(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        try {
            out.write(b.toByteArray());
            out.flush();
            sent += b.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object read() {
        try {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new RedisError(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(n + 2);
                    return new String(data, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                case -1:
                    throw new IOException("connection closed by Redis");
                default:
                    throw new IOException("not RESP: type byte " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32);
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("connection closed by Redis");
            }
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
