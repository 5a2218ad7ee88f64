import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Holds many slow download connections open, the way a fleet of NB-IoT devices does: each
 * connection asks for the whole firmware and then reads a few hundred bytes every few seconds.
 * Runs as a single-file program:
 * java SlowClients.java host port path connections seconds [sources [firstSource]]
 *
 * Source addresses 127.0.0.{firstSource}, … ({@code sources} of them, from 127.0.0.2 by default) spread the connections so no one address runs out of
 * ephemeral ports. Connections are opened at a bounded rate so the server's accept backlog copes.
 * Prints progress every 5 s and a summary at the end; exits non-zero if fewer than 95 % held.
 */
public final class SlowClients {

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String path = a[2];
        int target = Integer.parseInt(a[3]);
        int holdSeconds = Integer.parseInt(a[4]);
        int sources = a.length > 5 ? Integer.parseInt(a[5]) : 4;
        int firstSource = a.length > 6 ? Integer.parseInt(a[6]) : 2;
        int readBytes = 256;          // per read, per connection
        int readEveryMs = 2_000;      // ~128 B/s per device: an NB-IoT link
        int connectPerSecond = 10_000;

        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nRange: bytes=0-\r\nUser-Agent: slow-device\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Selector selector = Selector.open();
        List<SocketChannel> open = new ArrayList<>(target);
        ByteBuffer sink = ByteBuffer.allocateDirect(readBytes);
        long start = System.nanoTime();
        long lastReport = 0;
        int started = 0;
        int failed = 0;
        long bytesRead = 0;
        int closedByServer = 0;

        // Phase 1: connect at a bounded rate.
        while (open.size() + failed < target) {
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            long allowed = Math.min(target, (elapsedMs + 1) * connectPerSecond / 1000);
            while (started < allowed) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                ch.bind(new InetSocketAddress("127.0.0." + (firstSource + started % sources), 0));
                ch.connect(new InetSocketAddress(host, port));
                ch.register(selector, SelectionKey.OP_CONNECT);
                started++;
            }
            selector.select(10);
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel ch = (SocketChannel) k.channel();
                try {
                    if (ch.finishConnect()) {
                        ch.write(ByteBuffer.wrap(request));
                        k.interestOps(0);
                        open.add(ch);
                    }
                } catch (IOException e) {
                    failed++;
                    k.cancel();
                    ch.close();
                }
            }
            if (elapsedMs - lastReport >= 5_000) {
                lastReport = elapsedMs;
                System.out.printf("connecting: %d open, %d failed, %.1f s%n", open.size(), failed, elapsedMs / 1000.0);
            }
        }
        long connectedAt = System.nanoTime();
        System.out.printf("connected: %d open, %d failed in %.1f s; holding for %d s%n",
                open.size(), failed, (connectedAt - start) / 1e9, holdSeconds);

        // Phase 2: hold, reading a little from each connection in turn.
        int slices = Math.max(1, readEveryMs / 100);
        long holdUntil = connectedAt + holdSeconds * 1_000_000_000L;
        int tick = 0;
        lastReport = 0;
        while (System.nanoTime() < holdUntil) {
            long tickStart = System.nanoTime();
            for (int i = tick % slices; i < open.size(); i += slices) {
                SocketChannel ch = open.get(i);
                if (ch == null) {
                    continue;
                }
                sink.clear();
                try {
                    int n = ch.read(sink);
                    if (n < 0) {
                        closedByServer++;
                        ch.close();
                        open.set(i, null);
                    } else {
                        bytesRead += n;
                    }
                } catch (IOException e) {
                    closedByServer++;
                    open.set(i, null);
                }
            }
            tick++;
            long heldMs = (System.nanoTime() - connectedAt) / 1_000_000;
            if (heldMs - lastReport >= 5_000) {
                lastReport = heldMs;
                System.out.printf("holding: %d open, %d closed by server, %d bytes read, %.0f s%n",
                        open.size() - closedByServer, closedByServer, bytesRead, heldMs / 1000.0);
            }
            long spent = (System.nanoTime() - tickStart) / 1_000_000;
            if (spent < 100) {
                Thread.sleep(100 - spent);
            }
        }
        int held = open.size() - closedByServer;
        System.out.printf("RESULT held=%d failed_connect=%d closed_by_server=%d bytes_read=%d%n",
                held, failed, closedByServer, bytesRead);
        for (SocketChannel ch : open) {
            if (ch != null) {
                ch.close();
            }
        }
        System.exit(held >= target * 95 / 100 ? 0 : 1);
    }
}
