package io.otaedge.conformance.hawkbit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of the edge, standing in for the network between a device and its download: it
 * forwards bytes unchanged both ways and notes each request (method, target, {@code Range}) and the status the
 * edge answered. Armed, it drops the next whole-file {@code GET} after some body bytes (a lost link), or holds
 * it there until released (a slow link, during which the operator acts). It reads HTTP/1.1 framing only to count
 * body bytes: {@code Content-Length}, no body for {@code HEAD}.
 */
final class EdgeProxy implements AutoCloseable {

    /** One request seen on the way to the edge; {@code status} is 0 until its answer's head has passed. */
    static final class Request {
        final String method;
        final String target;
        final String range;
        volatile int status;
        private final Plan plan;

        Request(String method, String target, String range, Plan plan) {
            this.method = method;
            this.target = target;
            this.range = range;
            this.plan = plan;
        }

        @Override
        public String toString() {
            return method + " " + target + (range == null ? "" : " Range: " + range) + " -> " + status;
        }
    }

    /** What happens to an armed GET after {@code afterBodyBytes}: dropped ({@code release} null) or held until released. */
    private record Plan(long afterBodyBytes, CountDownLatch release, CountDownLatch reached) {
    }

    private final ServerSocket server;
    private volatile int targetPort;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<Plan> armed = new AtomicReference<>();

    private EdgeProxy(ServerSocket server) {
        this.server = server;
    }

    /**
     * Listens on a free loopback port, so the system can be told to hand devices this address; connections are
     * forwarded once {@link #forwardTo} named the edge.
     */
    static EdgeProxy start() throws IOException {
        EdgeProxy proxy = new EdgeProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        daemon("edge-proxy-accept", proxy::accept);
        return proxy;
    }

    /** Forwards to {@code 127.0.0.1:port} from now on. */
    void forwardTo(int port) {
        targetPort = port;
    }

    int port() {
        return server.getLocalPort();
    }

    /** The requests seen so far, in arrival order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next GET without {@code Range} loses its connection after {@code afterBodyBytes} of body. */
    void cutNextGet(long afterBodyBytes) {
        armed.set(new Plan(afterBodyBytes, null, new CountDownLatch(1)));
    }

    /**
     * The next GET without {@code Range} stops after {@code afterBodyBytes} of body until {@code release}; the
     * returned latch opens when it got there.
     */
    CountDownLatch holdNextGet(long afterBodyBytes, CountDownLatch release) {
        Plan plan = new Plan(afterBodyBytes, release, new CountDownLatch(1));
        armed.set(plan);
        return plan.reached();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket edge = new Socket();
                edge.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                sockets.add(client);
                sockets.add(edge);
                BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
                daemon("edge-proxy-up", () -> upstream(client, edge, pending));
                daemon("edge-proxy-down", () -> downstream(edge, client, pending));
            } catch (IOException e) {
                // closed, or the edge refused: the device sees its connection end, as it would
            }
        }
    }

    /** Device to edge: each request head is noted (and takes the armed plan) before its bytes go on. */
    private void upstream(Socket client, Socket edge, BlockingQueue<Request> pending) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = client.getInputStream(); OutputStream out = edge.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    head.write(buf[i]);
                    last4 = (last4 << 8) | (buf[i] & 0xff);
                    if (last4 == 0x0d0a0d0a) {
                        Request r = request(head.toString(StandardCharsets.ISO_8859_1));
                        requests.add(r);
                        pending.add(r);
                        head.reset();
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side gone
        } finally {
            closeQuietly(client, edge);
        }
    }

    private Request request(String head) {
        String[] lines = head.split("\r\n");
        String[] first = lines[0].split(" ");
        String range = null;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("range:")) {
                range = line.substring(6).trim();
            }
        }
        Plan plan = "GET".equals(first[0]) && range == null ? armed.getAndSet(null) : null;
        return new Request(first[0], first.length > 1 ? first[1] : "", range, plan);
    }

    /** Edge to device: answer heads are matched to their requests; an armed request's body is cut or held. */
    private void downstream(Socket edge, Socket client, BlockingQueue<Request> pending) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        long bodyLeft = -1; // -1: reading a head
        long bodyDone = 0;
        Request current = null;
        byte[] buf = new byte[16384];
        try (InputStream in = edge.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int i = 0;
                while (i < n) {
                    if (bodyLeft < 0) {
                        int start = i;
                        boolean done = false;
                        while (i < n && !done) {
                            head.write(buf[i]);
                            last4 = (last4 << 8) | (buf[i++] & 0xff);
                            done = last4 == 0x0d0a0d0a;
                        }
                        out.write(buf, start, i - start);
                        if (done) {
                            current = pending.poll(10, TimeUnit.SECONDS);
                            bodyLeft = answered(current, head.toString(StandardCharsets.ISO_8859_1));
                            bodyDone = 0;
                            head.reset();
                        }
                    } else {
                        long take = Math.min(bodyLeft, n - i);
                        Plan plan = current == null ? null : current.plan;
                        if (plan != null && bodyDone < plan.afterBodyBytes() && bodyDone + take >= plan.afterBodyBytes()) {
                            take = plan.afterBodyBytes() - bodyDone;
                            out.write(buf, i, (int) take);
                            out.flush();
                            i += (int) take;
                            bodyDone += take;
                            bodyLeft -= take;
                            plan.reached().countDown();
                            if (plan.release() == null) {
                                return; // the finally drops both connections mid-body
                            }
                            plan.release().await(60, TimeUnit.SECONDS);
                            continue;
                        }
                        out.write(buf, i, (int) take);
                        i += (int) take;
                        bodyDone += take;
                        bodyLeft -= take;
                    }
                    if (bodyLeft == 0) {
                        bodyLeft = -1;
                    }
                }
                out.flush();
            }
        } catch (IOException e) {
            // either side gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client, edge);
        }
    }

    /** Notes the status on the request; the body length that follows (0 for HEAD, to the close without a length). */
    private static long answered(Request request, String head) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ");
        if (request != null) {
            request.status = Integer.parseInt(status[1]);
        }
        if (request != null && "HEAD".equals(request.method)) {
            return -1;
        }
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                long length = Long.parseLong(line.substring(15).trim());
                return length == 0 ? -1 : length;
            }
        }
        return Long.MAX_VALUE;
    }

    private static void daemon(String name, Runnable job) {
        Thread t = new Thread(job, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket... all) {
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
