package io.otaedge.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A device downloading one file the way the FOG, Aliyun and LuatOS C SDKs do: a plain GET the first time, and after
 * a broken connection the same GET with {@code Range: bytes=<received>-}, to whichever edge it is sent to; the
 * bytes are kept across attempts and hashed at the end. Reads can be paced to hold a download open, as a slow
 * link does. Not thread-safe; {@link #received()} may be read from another thread.
 */
final class ResumingDownload {

    private final String path;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<String> statusLines = new ArrayList<>();
    private volatile long received;
    private volatile long pauseMillis;
    private long total = -1;
    private int cuts;

    ResumingDownload(String path) {
        this.path = path;
    }

    /**
     * One request to the edge on {@code port}; reads {@code chunk} bytes at a time with {@code pause} ms between
     * reads (0: as fast as possible). Returns true when the whole file has arrived, false when the connection ended
     * early (counted as a cut) or with a 503 and {@code Retry-After} (see {@link #toldToRetry()}). Any other status than
     * 200/206 is an {@link IOException}.
     */
    boolean attempt(int port, int chunk, long pause) throws IOException, InterruptedException {
        this.pauseMillis = pause;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024); // a small window, so a slow reader really holds the edge back
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String range = received > 0 ? "Range: bytes=" + received + "-\r\n" : "";
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + range
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            long length = readHead(in, port);
            if (length < 0) {
                return false;
            }
            byte[] buf = new byte[chunk];
            long left = length;
            while (left > 0) {
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, left));
                } catch (IOException reset) {
                    n = -1;
                }
                if (n < 0) {
                    cuts++;
                    return false;
                }
                body.write(buf, 0, n);
                received += n;
                left -= n;
                if (pauseMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(pauseMillis);
                }
            }
            return received == total;
        } catch (java.net.SocketException cut) {
            cuts++;
            return false;
        }
    }

    /** Parses the head; returns the body length and checks that a resume answers exactly from {@link #received}. */
    private long readHead(InputStream in, int port) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n")) {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the head after " + received + " bytes: " + head);
            }
            head.append((char) b);
        }
        String[] lines = head.toString().split("\r\n");
        statusLines.add(lines[0]);
        long length = -1;
        String contentRange = null;
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            } else if (lower.startsWith("content-range:")) {
                contentRange = line.substring(14).trim();
            }
        }
        if (lines[0].startsWith("HTTP/1.1 200 ") && received == 0) {
            total = length;
        } else if (lines[0].startsWith("HTTP/1.1 206 ") && contentRange != null
                && contentRange.startsWith("bytes " + received + "-")) {
            total = Long.parseLong(contentRange.substring(contentRange.indexOf('/') + 1));
        } else if (lines[0].startsWith("HTTP/1.1 503 ") && head.indexOf("\r\nRetry-After: ") > 0) {
            return -1; // "try later": the caller waits and resumes again, as a device does
        } else {
            byte[] error = in.readNBytes((int) Math.max(0, Math.min(length, 512)));
            throw new IOException("unexpected answer from port " + port + " after " + received + " bytes: " + head
                    + new String(error, StandardCharsets.UTF_8));
        }
        return length;
    }

    /** Changes the pause between reads of a running attempt (0: read as fast as possible from now on). */
    void pace(long millis) {
        pauseMillis = millis;
    }

    /** Whether the last attempt was a 503 with {@code Retry-After}. */
    boolean toldToRetry() {
        return statusLines.get(statusLines.size() - 1).startsWith("HTTP/1.1 503 ");
    }

    long received() {
        return received;
    }

    long total() {
        return total;
    }

    int cuts() {
        return cuts;
    }

    List<String> statusLines() {
        return statusLines;
    }

    String sha256() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.toByteArray()));
    }
}
