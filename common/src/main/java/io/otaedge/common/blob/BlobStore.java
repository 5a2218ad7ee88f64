package io.otaedge.common.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed firmware blobs on local disk: {@code <root>/<aa>/<sha256>}. Blobs are written
 * once, through {@link BlobWriter} (temp file, fsync, atomic rename), so a reader never sees a
 * half-written file and a crash leaves at most a stray temp file.
 *
 * <p>Several processes may share one directory (two controls on a ReadWriteMany volume, edges on
 * control's directory): every temp file has a unique name and is locked by its writer, so the
 * clean-up at start removes the temp files whose writer is gone (lock free), at once: a process
 * killed mid-upload leaves nothing behind after the next start. Two guards keep a live writer's
 * file: an empty one younger than {@link #ORPHAN_AGE} may be a writer between creating and locking
 * it; and where the file system refuses locks, the age alone decides. The shared directory must be
 * on a file system whose locks other hosts see (NFSv4, CephFS, EFS, Azure Files: docs/DEPLOY.md).
 */
public final class BlobStore {

    /** How long an empty temp file, or any temp file where locks are refused, is kept before it counts as orphaned. */
    public static final Duration ORPHAN_AGE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

    private final Path root;
    private final Path tmp;

    public BlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            removeOrphanedTempFiles(ORPHAN_AGE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use blob directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    public static boolean isSha256(String s) {
        // A plain loop, not a regex: the edge asks this on every download request.
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Where the blob with this sha256 lives (whether or not it exists yet). */
    public Path pathOf(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean contains(String sha256) {
        return isSha256(sha256) && Files.isRegularFile(pathOf(sha256));
    }

    /** Starts a new blob; the caller streams bytes into it and then commits or aborts. */
    /**
     * The first step of removing a blob: renamed atomically into the temp directory (a {@code .part} no writer
     * holds, so the clean-up at a start deletes it if this process dies before {@link #discard} or
     * {@link #restore}). Null when there is no such blob. Blocking file I/O.
     */
    public Path moveAside(String sha256) throws IOException {
        Path blob = pathOf(sha256);
        Path aside = tmp.resolve(sha256 + "." + java.util.UUID.randomUUID() + ".removed.part");
        try {
            Files.move(blob, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** Puts a blob moved aside back, unless an upload has written the same content there meanwhile. */
    public void restore(Path aside, String sha256) throws IOException {
        Path blob = pathOf(sha256);
        if (Files.exists(blob)) {
            Files.deleteIfExists(aside);
        } else {
            Files.move(aside, blob, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Deletes a blob moved aside. */
    public void discard(Path aside) throws IOException {
        Files.deleteIfExists(aside);
    }

    public BlobWriter newWriter(long maxSize) {
        try {
            // createTempFile: a random name, created with O_EXCL, so no two writers ever share one.
            return new BlobWriter(this, Files.createTempFile(tmp, "upload-", ".part"), maxSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp file in " + tmp, e);
        }
    }

    /**
     * Deletes temp files left by writers that are gone: not written by this JVM, untouched for
     * {@code minAge}, and not locked by another process. Returns how many it deleted.
     */
    int removeOrphanedTempFiles(Duration minAge) throws IOException {
        Instant cutoff = Instant.now().minus(minAge);
        int removed = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path p : parts) {
                if (removeIfOrphan(p, cutoff)) {
                    log.info("Removing the temp file {} of an upload whose writer is gone", p);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean removeIfOrphan(Path part, Instant cutoff) throws IOException {
        // Never open a file this JVM writes: closing any channel to a file drops all of this
        // process's locks on it (POSIX), which would expose the writer to other processes.
        if (BlobWriter.isWriting(part)) {
            return false;
        }
        try {
            boolean recent = Files.getLastModifiedTime(part).toInstant().isAfter(cutoff);
            if (recent && Files.size(part) == 0) {
                return false; // maybe a writer that has created its file and not locked it yet
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                Lock lock = tryLock(ch);
                if (lock == Lock.HELD || lock == Lock.REFUSED && recent) {
                    return false;
                }
                // Deleted while we hold the lock: writers never reopen a temp file by its name.
                Files.delete(part);
                return true;
            }
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private enum Lock { TAKEN, HELD, REFUSED }

    /** Whether a live writer holds the file's lock, or the file system has no locks. */
    private static Lock tryLock(FileChannel ch) {
        try {
            // Released when the channel closes, right after the delete.
            return ch.tryLock() == null ? Lock.HELD : Lock.TAKEN;
        } catch (OverlappingFileLockException heldHere) {
            return Lock.HELD;
        } catch (IOException noLocks) {
            return Lock.REFUSED;
        }
    }
}
