package io.otaedge.common.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams one blob to a temp file while computing its size, md5 and sha256 in the same pass, then
 * publishes it under its sha256 with an atomic rename. Not thread-safe: one writer, one stream.
 * File I/O blocks, so reactive callers run it on a scheduler meant for blocking work.
 *
 * <p>The temp file is locked while it is written, so that another process sharing the directory
 * never takes it for an orphan ({@link BlobStore}). Every writer has its own temp file and hashes
 * what it wrote itself, so concurrent writers of the same or of different contents cannot mix.
 */
public final class BlobWriter implements AutoCloseable {

    /** Temp files this JVM is writing: its clean-up must not even open them (see BlobStore). */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final BlobStore store;
    private final Path temp;
    private final long maxSize;
    private final FileChannel channel;
    private final MessageDigest md5;
    private final MessageDigest sha256;
    /** For clients that verify by SHA-1 (hawkBit's DDI clients, e.g. SWUpdate): one more digest in the same pass. */
    private final MessageDigest sha1;
    private long size;
    private boolean finished;

    BlobWriter(BlobStore store, Path temp, long maxSize) throws IOException {
        this.store = store;
        this.temp = temp;
        this.maxSize = maxSize;
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        WRITING.add(temp);
        lock(channel);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5, SHA-1 or SHA-256", e);
        }
    }

    static boolean isWriting(Path temp) {
        return WRITING.contains(temp);
    }

    /** Held until the channel closes; where the file system has no locks, the orphan age alone protects the file. */
    private static void lock(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException noLocks) {
            // e.g. an NFS mount with nolock: BlobStore.ORPHAN_AGE still guards an active writer
        }
    }

    /** Appends the buffer's remaining bytes; its position is left unchanged. */
    public void write(ByteBuffer data) throws IOException {
        int n = data.remaining();
        if (size + n > maxSize) {
            throw new BlobTooLargeException(maxSize);
        }
        ByteBuffer forDigest = data.duplicate();
        md5.update(forDigest);
        forDigest = data.duplicate();
        sha256.update(forDigest);
        forDigest = data.duplicate();
        sha1.update(forDigest);
        ByteBuffer forFile = data.duplicate();
        while (forFile.hasRemaining()) {
            channel.write(forFile);
        }
        size += n;
    }

    public long size() {
        return size;
    }

    /**
     * Makes the blob durable and visible. When a blob with the same content already exists the
     * new copy is dropped and the existing one reused.
     */
    public BlobInfo commit() throws IOException {
        return publish(seal());
    }

    /**
     * Like {@link #commit()}, but only when the bytes hash to {@code expectedSha256}: anything else is
     * deleted, never published, and reported as a {@link BlobDigestMismatchException}.
     */
    public BlobInfo commitVerified(String expectedSha256) throws IOException {
        BlobInfo info = seal();
        if (!info.sha256().equals(expectedSha256)) {
            Files.deleteIfExists(temp);
            WRITING.remove(temp);
            throw new BlobDigestMismatchException(expectedSha256, info.sha256());
        }
        return publish(info);
    }

    private BlobInfo seal() throws IOException {
        finished = true;
        try {
            channel.force(true);
        } finally {
            // Unlocks the temp file; still ours until published (this JVM's clean-up skips it).
            channel.close();
        }
        HexFormat hex = HexFormat.of();
        return new BlobInfo(hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()), size, hex.formatHex(sha1.digest()));
    }

    private BlobInfo publish(BlobInfo info) throws IOException {
        Path target = store.pathOf(info.sha256());
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(target) && Files.size(target) == info.size()) {
                // The same bytes are there already (another upload, maybe another process).
                Files.deleteIfExists(temp);
                return info;
            }
            try {
                // rename(2): readers see the old file or the whole new one, never a part. A
                // concurrent writer of the same bytes may replace ours: the content is identical.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // Platforms whose rename does not replace: the other writer's copy is the same bytes.
                Files.deleteIfExists(temp);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(temp);
                throw new IOException("cannot rename atomically from " + temp.getParent() + " to " + dir
                        + ": the blob directory must be one file system", e);
            }
            syncDirectory(dir);
            return info;
        } finally {
            WRITING.remove(temp);
        }
    }

    /** Makes the rename itself durable: without it, a crash may forget the new directory entry. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException unsupported) {
            // Some file systems (and platforms) cannot open or sync a directory; the data is synced.
        }
    }

    /** Drops the partial blob; safe to call after a failed or completed commit. */
    public void abort() {
        if (!finished) {
            finished = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file we are about to delete
            }
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a later start removes it as an orphan
        } finally {
            WRITING.remove(temp);
        }
    }

    @Override
    public void close() {
        abort();
    }
}
