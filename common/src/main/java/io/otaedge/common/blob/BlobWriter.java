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

/**
 * Streams one blob to a temp file while computing its size, md5 and sha256 in the same pass, then
 * publishes it under its sha256 with an atomic rename. Not thread-safe: one writer, one stream.
 * File I/O blocks, so reactive callers run it on a scheduler meant for blocking work.
 */
public final class BlobWriter implements AutoCloseable {

    private final BlobStore store;
    private final Path temp;
    private final long maxSize;
    private final FileChannel channel;
    private final MessageDigest md5;
    private final MessageDigest sha256;
    private long size;
    private boolean finished;

    BlobWriter(BlobStore store, Path temp, long maxSize) throws IOException {
        this.store = store;
        this.temp = temp;
        this.maxSize = maxSize;
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5 or SHA-256", e);
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
            throw new BlobDigestMismatchException(expectedSha256, info.sha256());
        }
        return publish(info);
    }

    private BlobInfo seal() throws IOException {
        finished = true;
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
        HexFormat hex = HexFormat.of();
        return new BlobInfo(hex.formatHex(sha256.digest()), hex.formatHex(md5.digest()), size);
    }

    private BlobInfo publish(BlobInfo info) throws IOException {
        Path target = store.pathOf(info.sha256());
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(temp);
            return info;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // A concurrent upload of the same bytes won the race: the content is identical.
            Files.deleteIfExists(temp);
        }
        return info;
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
            // the next start removes stray temp files
        }
    }

    @Override
    public void close() {
        abort();
    }
}
