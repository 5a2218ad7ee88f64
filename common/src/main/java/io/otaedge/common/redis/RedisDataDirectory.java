package io.otaedge.common.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly one Redis on a data directory. Two servers on one AOF directory lose data: when a stale one
 * rewrites its AOF, the next start loads its old view and every write acknowledged since is gone. A
 * process that dies by {@code kill -9} leaves its Redis running (it has its own session), so:
 * <ol>
 *   <li>the owner holds an OS file lock on {@code redis.lock} for as long as it lives (the kernel drops it
 *       when the process dies, however it dies); a second live owner is refused with a clear message;</li>
 *   <li>once the lock is held, any Redis still running on the directory is stale, its owner gone: the one
 *       named in {@code redis.pid} and, on Linux, any {@code redis-server} whose working directory is this
 *       one (Redis changes into its {@code --dir}). Each is stopped with SIGTERM, which makes it write out
 *       its AOF, and killed only if it does not exit in time, before the new server starts.</li>
 * </ol>
 */
final class RedisDataDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisDataDirectory.class);
    static final String LOCK_FILE = "redis.lock";
    static final String PID_FILE = "redis.pid";
    private static final long STALE_STOP_SECONDS = 30;

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RedisDataDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory for this process, or fails saying who holds it. */
    static RedisDataDirectory claim(Path dataDir) {
        try {
            Path dir = Files.createDirectories(dataDir).toRealPath();
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new IllegalStateException("the data directory " + dir + " is in use by another running process"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + ": stop it first, or give this one another data directory (OTA_DATA_DIR)");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new RedisDataDirectory(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock the data directory " + dataDir, e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    Path path() {
        return dir;
    }

    /** Stops every Redis left running on this directory by an owner that is gone; answers how many. */
    int stopStaleServers() {
        int stopped = 0;
        for (ProcessHandle p : staleServers()) {
            log.warn("Stopping a Redis (pid {}) left running on {} by a process that died: two servers on one AOF "
                    + "directory would lose data", p.pid(), dir);
            p.destroy();
            try {
                if (!p.onExit().get(STALE_STOP_SECONDS, TimeUnit.SECONDS).isAlive()) {
                    stopped++;
                    continue;
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            log.warn("Redis pid {} did not stop within {} s; killing it", p.pid(), STALE_STOP_SECONDS);
            p.destroyForcibly();
            p.onExit().join();
            stopped++;
        }
        return stopped;
    }

    private Set<ProcessHandle> staleServers() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        recordedPid().flatMap(ProcessHandle::of).filter(RedisDataDirectory::isRedis).ifPresent(found::add);
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc)) {
            try (Stream<Path> entries = Files.list(proc)) {
                entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .filter(p -> workingDirectoryIsThis(p))
                        .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                        .flatMap(Optional::stream)
                        .filter(RedisDataDirectory::isRedis)
                        .forEach(found::add);
            } catch (IOException e) {
                log.debug("could not list /proc: {}", e.toString());
            }
        }
        found.removeIf(p -> p.pid() == ProcessHandle.current().pid() || !p.isAlive());
        return found;
    }

    private boolean workingDirectoryIsThis(Path procEntry) {
        try {
            return Files.readSymbolicLink(procEntry.resolve("cwd")).equals(dir);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false; // not ours to read, or gone
        }
    }

    /**
     * Its executable or its (Redis-rewritten) process title names a Redis server. Debian's
     * {@code redis-server} is a link to the multi-call {@code redis-check-rdb}, which {@code /proc/<pid>/exe} shows.
     */
    private static boolean isRedis(ProcessHandle p) {
        String seen = p.info().command().orElse("") + " " + p.info().commandLine().orElse("");
        return seen.contains("redis-server") || seen.contains("redis-check-rdb");
    }

    private Optional<Long> recordedPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(PID_FILE), StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            log.warn("ignoring an unreadable {} in {}: {}", PID_FILE, dir, e.toString());
            return Optional.empty();
        }
    }

    /** Names the server now running here, so that a later owner finds it should this process die. */
    void recordServer(long pid) {
        try {
            Path tmp = dir.resolve(PID_FILE + ".tmp");
            Files.writeString(tmp, Long.toString(pid), StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(PID_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + PID_FILE + " in " + dir, e);
        }
    }

    /** After the server stopped: forget it and let the directory go. */
    @Override
    public void close() {
        if (!lock.isValid()) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException e) {
            log.warn("could not delete {} in {}: {}", PID_FILE, dir, e.toString());
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("could not release {} in {}: {}", LOCK_FILE, dir, e.toString());
        }
    }
}
