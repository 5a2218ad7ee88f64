package io.otaedge.common.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server process on a loopback port, for the standalone and for tests: the
 * {@code redis-server} on the PATH when there is one, otherwise the binary shipped in the
 * {@code embedded-redis} artifact from Maven Central (only its binary is used). AOF is on and the
 * data lives in the given directory, so state survives a restart.
 *
 * <p>The caller owns the process: it stops with {@link #close()} and with nothing else. The library's
 * own start-up would add a JVM shutdown hook that stops Redis concurrently with the standalone's
 * orderly shutdown, so the edge's last progress flush found Redis gone. For the same reason the
 * process runs in its own session where {@code setsid} exists: a Ctrl-C in the terminal reaches the
 * JVM, which then stops Redis last, and not Redis directly.
 */
public final class LocalRedisServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRedisServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 30;
    private static final String READY = "Ready to accept connections";
    private static final String SETSID = "/usr/bin/setsid";

    private final Process process;
    private final int port;
    private final RedisDataDirectory directory;

    private LocalRedisServer(Process process, int port, RedisDataDirectory directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts Redis on a free loopback port with its data under {@code dataDir}. */
    public static LocalRedisServer start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /**
     * Starts Redis on {@code port}; used to bring a server back on the port its clients know. The data
     * directory is claimed first: refused while another live process owns it, and a Redis left running there
     * by an owner that died is stopped before this one starts (see {@link RedisDataDirectory}).
     */
    public static LocalRedisServer start(Path dataDir, int port) {
        return start(dataDir, port, List.of());
    }

    /**
     * As {@link #start(Path, int)}, with more {@code redis-server} options after the standard ones (for
     * example {@code --cluster-enabled yes} for a test cluster's nodes).
     */
    public static LocalRedisServer start(Path dataDir, int port, List<String> moreOptions) {
        RedisDataDirectory directory = RedisDataDirectory.claim(dataDir);
        Process process = null;
        try {
            directory.stopStaleServers();
            List<String> command = new ArrayList<>();
            if (new File(SETSID).canExecute()) {
                command.add(SETSID);
            }
            command.addAll(List.of(executable().getAbsolutePath(),
                    "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--dir", directory.path().toString(),
                    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                    "--protected-mode", "yes", "--daemonize", "no"));
            command.addAll(moreOptions);
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            directory.recordServer(process.pid());
            awaitReady(process, port);
            log.info("Redis started on 127.0.0.1:{} with data in {}", port, directory.path());
            return new LocalRedisServer(process, port, directory);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            directory.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("could not start a local Redis server in " + dataDir, (IOException) e);
        }
    }

    /** Reads the server's output until it says it is ready, then keeps draining it (at debug level). */
    private static void awaitReady(Process process, int port) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (!ready.isDone()) {
                        synchronized (lastLines) {
                            lastLines.addLast(line);
                            if (lastLines.size() > 20) {
                                lastLines.removeFirst();
                            }
                        }
                        if (line.contains(READY)) {
                            ready.complete(null);
                        }
                    } else {
                        log.debug("redis:{} {}", port, line);
                    }
                }
            } catch (IOException e) {
                // The process ended; whoever waits learns it below.
            }
            ready.completeExceptionally(new IOException("redis-server exited before it was ready"));
        }, "redis-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while Redis started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            String output;
            synchronized (lastLines) {
                output = String.join("\n", lastLines);
            }
            throw new IOException("Redis on port " + port + " did not become ready: "
                    + (e instanceof TimeoutException ? "no answer within " + START_TIMEOUT_SECONDS + " s" : e.getCause().getMessage())
                    + (output.isEmpty() ? "" : "; it printed:\n" + output));
        }
    }

    private static File executable() throws IOException {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server").get();
        } catch (FileNotFoundException e) {
            return ExecutableProvider.newJarResourceProvider().get();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return directory.path();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's process id, for tests that kill it the way a crash would. */
    public long pid() {
        return process.pid();
    }

    public boolean isActive() {
        return process.isAlive();
    }

    /** Lets the data directory go and leaves the server running: what a killed owner leaves behind (tests only). */
    void releaseDirectoryOnly() {
        directory.close();
    }

    /** SIGTERM and wait: Redis flushes its AOF on a clean shutdown, SIGKILL (only after the wait) could lose the last second. */
    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    log.warn("Redis on port {} did not stop within {} s; killing it", port, STOP_TIMEOUT_SECONDS);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!process.isAlive()) {
            directory.close();
        }
    }
}
